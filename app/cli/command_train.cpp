// flipscope-cli train --recipe RECIPE.json --out MODEL.h5 [--epochs N] [--seed S] [--threads N]
#include "app/cli/args.h"
#include "app/cli/commands.h"
#include "core/io/keras_h5_writer.h"
#include "core/io/keras_model_config.h"
#include "core/model/model_summary.h"
#include "core/train/evaluation.h"
#include "core/train/recipe.h"
#include "core/train/weight_init.h"

#include <chrono>
#include <cstdio>
#include <iostream>

namespace flipscope::cli {

static const char* kHelp =
    "Usage: flipscope-cli train --recipe RECIPE.json --out MODEL.h5 [options]\n\n"
    "Trains a model as a recipe describes (architecture, data, loss, optimizer settings; see\n"
    "sample_models/recipes/ and core/train/recipe.h) with quantization-aware training as QKeras\n"
    "does it, writes it as a Keras .h5 file, and scores it on the recipe's test data if any.\n"
    "Progress goes to stderr, the summary to stdout. Same seed, same model, on any machine.\n\n"
    "  --recipe FILE        the recipe (JSON)\n"
    "  --out FILE           the trained model (.h5)\n"
    "  --epochs N           override the recipe's epochs\n"
    "  --seed S             override the recipe's shuffling seed\n"
    "  --threads N          worker threads (default 2; results do not depend on it)\n";

int runTrain(const CommandArgs& argv) {
    Args args(argv, {"recipe", "out", "epochs", "seed", "threads"}, {});
    if (args.helpRequested()) {
        std::cout << kHelp;
        return 0;
    }
    TrainingRecipe recipe = loadRecipe(args.required("recipe"));
    const std::string out = args.required("out");
    if (auto epochs = args.integer("epochs")) recipe.options.epochs = static_cast<int>(*epochs);
    if (auto seed = args.integer("seed")) recipe.options.seed = static_cast<uint64_t>(*seed);
    recipe.options.threads = static_cast<int>(args.integer("threads").value_or(2));

    auto model = buildModelFromConfig(recipe.architecture, recipe.architectureName);
    initializeWeights(*model, recipe.initSeed);
    model->prepare();
    const TrainingData data = loadRecipeData(recipe.train, *model);
    const auto loss = makeLoss(recipe.loss);
    std::fprintf(stderr, "training %s on %lld samples (%s loss, %d epochs, batch %lld, lr %g, seed %llu)\n",
                 recipe.architectureName.c_str(), static_cast<long long>(data.inputs.dim(0)), loss->name().c_str(),
                 recipe.options.epochs, static_cast<long long>(recipe.options.batchSize),
                 recipe.options.adam.learningRate, static_cast<unsigned long long>(recipe.options.seed));

    const auto start = std::chrono::steady_clock::now();
    const TrainResult result = train(*model, data.inputs, data.targets, *loss, recipe.options, [](const EpochReport& r) {
        std::fprintf(stderr, "epoch %d/%d  loss %.6g", r.epoch, r.epochs, r.loss);
        if (r.validationLoss) std::fprintf(stderr, "  val_loss %.6g", *r.validationLoss);
        std::fprintf(stderr, "  (%.1f s)\n", r.seconds);
    });
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    writeKerasModel(*model, out);

    const ModelSummary summary = summarize(*model);
    std::printf("%s: %s, best epoch %d of %zu%s, %.0f s; %lld quantized parameters, %lld bits, kernel signature %s\n",
                out.c_str(), recipe.architectureName.c_str(), result.bestEpoch, result.history.size(),
                result.stoppedEarly ? " (stopped early)" : "", seconds, static_cast<long long>(summary.totalParams),
                static_cast<long long>(summary.totalBits), summary.kernelSignature.c_str());
    if (recipe.test) {
        const TrainingData test = loadRecipeData(*recipe.test, *model);
        const Evaluation e = evaluateModel(*model, test.inputs, test.targets, test.labels, *loss, recipe.options.threads);
        std::printf("test: %lld samples, %s loss %.6g", static_cast<long long>(e.samples), loss->name().c_str(), e.loss);
        if (e.accuracy) std::printf(", accuracy %.4f", *e.accuracy);
        if (e.meanEmd) std::printf(", mean EMD %.4f", *e.meanEmd);
        std::printf("\n");
    }
    return 0;
}

}  // namespace flipscope::cli
