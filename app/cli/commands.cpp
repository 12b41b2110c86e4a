#include "app/cli/commands.h"

namespace flipscope::cli {

const std::vector<Command>& commands() {
    static const std::vector<Command> all = {
        {"info", "layers, quantizers, parameter and bit counts of a model", runInfo},
        {"quantize", "apply a QKeras quantizer to numbers and show codes and bits", runQuantize},
        {"predict", "run a model (or up to one layer) on a dataset and write the outputs", runPredict},
        {"campaign", "inject faults into a model's weights and measure the damage", runCampaign},
        {"summary", "bits to protect and totals of a campaign's results file", runSummary},
        {"init-model", "write an untrained model of a built-in architecture", runInitModel},
    };
    return all;
}

}  // namespace flipscope::cli
