// The Dense (encoder and decoder) and Conv2DTranspose layers of an ECON-T model, as the fast
// campaign engine runs them downstream of a fault: rows per second of each reference layer (DenseLayer /
// Conv2DTransposeLayer::forward) and of its SIMD-across-samples version (PackedDense /
// PackedConvTranspose), their ratio, and a bit-for-bit check that both give the same outputs.
// Inputs are random rows with about a quarter exact zeros (like post-ReLU activations).
//
// Usage: bench_decoder [rows] [model]   (defaults 4096, sample_models/econt-medium.h5)
// Run from the source directory (the default model path is relative).
#include "core/common/random.h"
#include "core/faults/layer_chain.h"
#include "core/faults/packed_conv_transpose.h"
#include "core/faults/packed_dense.h"
#include "core/io/keras_h5_loader.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <string>

using namespace flipscope;

namespace {

// Random rows of the layer's input shape: a quarter zeros, the rest in (-0.5, 1.5).
Tensor randomRows(const Shape& sample, int64_t rows, SplitMix64& rng) {
    Shape shape = sample;
    shape.insert(shape.begin(), rows);
    Tensor x(shape);
    for (int64_t i = 0; i < x.size(); ++i)
        x[i] = rng.below(4) == 0 ? 0.0f : static_cast<float>(2.0 * rng.uniform() - 0.5);
    return x;
}

// "in -> out" shapes of one sample, e.g. "4x4x8 -> 8x8x8".
std::string describe(const Layer& layer) {
    const auto dims = [](const Shape& shape) {
        std::string text;
        for (int64_t d : shape) text += (text.empty() ? "" : "x") + std::to_string(d);
        return text;
    };
    return dims(layer.inputShapes().at(0)) + " -> " + dims(layer.outputShape());
}

// Seconds per call of `work`, the best of a few repetitions of enough calls to last ~0.2 s.
double secondsPerCall(const std::function<Tensor()>& work) {
    using Clock = std::chrono::steady_clock;
    int calls = 1;
    for (;;) {
        const auto start = Clock::now();
        for (int i = 0; i < calls; ++i) work();
        const double elapsed = std::chrono::duration<double>(Clock::now() - start).count();
        if (elapsed > 0.2) break;
        calls *= 2;
    }
    double best = 1e300;
    for (int repeat = 0; repeat < 3; ++repeat) {
        const auto start = Clock::now();
        for (int i = 0; i < calls; ++i) work();
        best = std::min(best, std::chrono::duration<double>(Clock::now() - start).count() / calls);
    }
    return best;
}

// Times one layer both ways and prints a line; returns whether the outputs agree bit for bit.
bool compare(const Layer& layer, const std::string& kind, const Tensor& x, const std::function<Tensor()>& packed) {
    const Tensor expected = layer.forward({&x});
    const Tensor actual = packed();
    const bool same = actual.shape() == expected.shape() &&
                      std::memcmp(actual.data(), expected.data(), expected.size() * sizeof(float)) == 0;
    const double rows = static_cast<double>(x.dim(0));
    const double reference = rows / secondsPerCall([&] { return layer.forward({&x}); });
    const double fast = rows / secondsPerCall(packed);
    std::printf("%-18s %-34s %12.0f %13.0f %8.2fx  %s\n", layer.name().c_str(), kind.c_str(), reference, fast,
                fast / reference, same ? "identical" : "DIFFERENT");
    return same;
}

}  // namespace

int main(int argc, char** argv) {
    const int64_t rows = argc > 1 ? std::atoll(argv[1]) : 4096;
    const std::string path = argc > 2 ? argv[2] : "sample_models/econt-medium.h5";
    const LoadedModel loaded = loadKerasModel(path);
    const auto chain = flattenChain(*loaded.model);
    if (!chain) {
        std::fprintf(stderr, "%s is not a chain of layers\n", path.c_str());
        return 1;
    }
    std::printf("%s, %lld rows\n", path.c_str(), static_cast<long long>(rows));
    std::printf("%-18s %-34s %12s %13s %9s\n", "layer", "kind", "ref rows/s", "packed rows/s", "speed-up");
    SplitMix64 rng(1);
    bool allSame = true;
    for (const Layer* layer : *chain) {
        if (const auto* dense = dynamic_cast<const DenseLayer*>(layer)) {
            if (!PackedDense::packs(*dense)) continue;
            const Tensor x = randomRows(dense->inputShapes().at(0), rows, rng);
            const PackedDense packed(*dense);
            allSame &= compare(*dense, "Dense " + describe(*dense), x, [&] { return packed.forward(x); });
        } else if (const auto* transpose = dynamic_cast<const Conv2DTransposeLayer*>(layer)) {
            const Tensor x = randomRows(transpose->inputShapes().at(0), rows, rng);
            const PackedConvTranspose packed(*transpose);
            allSame &= compare(*transpose, "Conv2DTranspose " + describe(*transpose), x,
                               [&] { return packed.forward(x); });
        }
    }
    std::printf("%s\n", allSame ? "all outputs identical" : "SOME OUTPUTS DIFFER");
    return allSame ? 0 : 1;
}
