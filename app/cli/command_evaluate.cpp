// flipscope-cli evaluate MODEL.h5 --data DATA --metric NAME [--labels LABELS] [--per-sample out.csv]
#include "app/cli/commands.h"
#include "app/cli/data_options.h"
#include "app/cli/model_options.h"
#include "core/common/error.h"
#include "core/faults/model_evaluator.h"
#include "core/metrics/metric_registry.h"
#include "core/model/input_fit.h"

#include <cstdio>
#include <fstream>
#include <iostream>

namespace flipscope::cli {

int runEvaluate(const CommandArgs& argv) {
    Args args(argv, withDataOptions(withModelOptions({"metric", "labels", "per-sample"})), {});
    if (args.helpRequested()) {
        std::cout << "Usage: flipscope-cli evaluate MODEL.h5 --data DATA --metric NAME [--labels LABELS]\n"
                     "                              [--per-sample out.csv]\n\n"
                     "Prints the dataset value (mean over samples) of a metric:\n";
        for (const auto& m : metricInfos())
            std::cout << "  " << m.name << (m.lowerIsBetter ? "  (lower is better) " : "  (higher is better) ")
                      << m.description << "\n";
        std::cout << "Autoencoder metrics (emd, telescope, mse) compare the output with the input.\n\n"
                  << kModelOptionsHelp << kDataOptionsHelp
                  << "  --labels LABELS      class labels (ce, accuracy)\n"
                     "  --per-sample FILE    also write sample,value rows as CSV\n";
        return 0;
    }
    const std::string modelPath = args.positional(0, "MODEL.h5");
    const LoadedModel loaded = loadModelFromArgs(args, modelPath);
    const DatasetOptions options = datasetOptionsFromArgs(args);
    const std::string dataSpec = args.required("data");
    Tensor inputs = fitToModelInput(loadDataset(dataSpec, options), loaded.model->modelInputShapes().at(0), dataSpec);
    std::vector<int64_t> labels;
    if (auto l = args.value("labels")) labels = loadLabels(*l, options.limit);
    const ModelEvaluator evaluator(args.required("metric"), std::move(inputs), std::move(labels), *loaded.model);
    const auto values = evaluator.perSample(*loaded.model);
    double sum = 0.0;
    for (double v : values) sum += v;
    const double mean = sum / static_cast<double>(values.size());
    if (auto path = args.value("per-sample")) {
        std::ofstream out(*path);
        if (!out) throw Error(*path + ": cannot be written");
        out << "sample,value\n";
        char line[64];
        for (size_t i = 0; i < values.size(); ++i) {
            std::snprintf(line, sizeof line, "%zu,%.17g\n", i, values[i]);
            out << line;
        }
        if (!out.flush()) throw Error(*path + ": write failed (disk full?)");
    }
    std::printf("%s %.17g over %zu samples\n", evaluator.metric().c_str(), mean, values.size());
    return 0;
}

}  // namespace flipscope::cli
