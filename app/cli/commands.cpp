#include "app/cli/commands.h"

namespace flipscope::cli {

const std::vector<Command>& commands() {
    static const std::vector<Command> all = {
        {"info", "layers, quantizers, parameter and bit counts of a model", runInfo},
        {"quantize", "apply a QKeras quantizer to numbers and show codes and bits", runQuantize},
        {"predict", "run a model (or up to one layer) on a dataset and write the outputs", runPredict},
        {"emd", "earth mover's distance between rows of two arrays (ECON-T geometry)", runEmd},
        {"evaluate", "a metric of a model over a dataset (emd, telescope, mse, ce, accuracy)", runEvaluate},
        {"campaign", "inject faults into a model's weights and measure the damage", runCampaign},
        {"summary", "bits to protect and totals of a campaign's results file", runSummary},
        {"rank", "rank a model's bits by a sensitivity metric (random, msb, gradient, hessian, ...)", runRank},
        {"gradient", "loss gradient of every quantized weight", runGradient},
        {"hessian", "top Hessian eigenvalues of the loss (and per-layer traces)", runHessian},
        {"compare", "score rankings against a campaign's measured (oracle) ranking", runCompare},
#ifdef FLIPSCOPE_CLI_PLOT
        {"plot", "draw the study's figures from results files as PDF, SVG or PNG (and CSV)", runPlot},
#endif
        {"init-model", "write an untrained model of a built-in architecture", runInitModel},
        {"train", "train a model from a recipe (quantization-aware) and write it as .h5", runTrain},
        {"synth-hgcal", "write synthetic ECON-T trigger-cell data (not detector data)", runSynthHgcal},
        {"export-data", "convert samples (and labels) from any supported format to HDF5", runExportData},
    };
    return all;
}

}  // namespace flipscope::cli
