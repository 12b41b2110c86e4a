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
        {"init-model", "write an untrained model of a built-in architecture", runInitModel},
        {"train", "train a model from a recipe (quantization-aware) and write it as .h5", runTrain},
        {"synth-hgcal", "write synthetic ECON-T trigger-cell data (not detector data)", runSynthHgcal},
        {"export-data", "convert samples (and labels) from any supported format to HDF5", runExportData},
    };
    return all;
}

}  // namespace flipscope::cli
