#include "core/model/backward.h"

#include "core/common/error.h"
#include "core/common/parallel_chunks.h"
#include "core/model/layer_backward.h"

#include <algorithm>
#include <map>
#include <thread>

namespace flipscope {
namespace {

// What the forward pass keeps for the backward pass, per layer call; a nested model keeps one
// tape per node.
struct Tape {
    Tensor output;
    Tensor pre;  // layers with a built-in activation: the value before it
    std::vector<Tape> nodes;
};

// Where each layer's parameter gradients live in a flat list (modelParameters() order).
class GradientSlots {
public:
    explicit GradientSlots(const std::vector<ParameterRef>& params) {
        for (size_t i = 0; i < params.size(); ++i) first_.try_emplace(params[i].layer, i);
    }
    ParamGrads of(const Layer& layer, std::vector<std::vector<double>>& all) const {
        const auto it = first_.find(&layer);
        if (it == first_.end()) return {};
        return ParamGrads(all.data() + it->second, layer.parameters().size());
    }

private:
    std::map<const Layer*, size_t> first_;
};

std::vector<const Tensor*> nodeInputs(const Model& model, size_t n, const std::vector<const Tensor*>& modelInputs,
                                      const std::vector<Tape>& tapes) {
    const auto& inputNodes = model.inputNodes();
    const auto it = std::find(inputNodes.begin(), inputNodes.end(), static_cast<int>(n));
    if (it != inputNodes.end()) return {modelInputs.at(it - inputNodes.begin())};
    std::vector<const Tensor*> in;
    for (int i : model.nodes()[n].inputs) in.push_back(&tapes[i].output);
    return in;
}

Tape forwardRecord(const Layer& layer, const std::vector<const Tensor*>& inputs) {
    Tape tape;
    if (const auto* model = dynamic_cast<const Model*>(&layer)) {
        if (inputs.size() != model->inputNodes().size()) model->fail("wrong number of inputs");
        tape.nodes.resize(model->nodes().size());
        for (size_t n = 0; n < model->nodes().size(); ++n) {
            const Layer& child = *model->layers()[model->nodes()[n].layer];
            tape.nodes[n] = forwardRecord(child, nodeInputs(*model, n, inputs, tape.nodes));
        }
        tape.output = tape.nodes[model->outputNodes().at(0)].output;
        return tape;
    }
    tape.pre = preActivation(layer, *inputs[0]);
    tape.output = tape.pre.empty() ? layer.forward(inputs) : applyActivation(layer, tape.pre);
    return tape;
}

void addInto(Tensor& sum, const Tensor& term) {
    if (sum.empty()) sum = term;
    else sum.array() += term.array();
}

std::vector<Tensor> backwardRecord(const Layer& layer, const std::vector<const Tensor*>& inputs, const Tape& tape,
                                   Tensor dOutput, const GradientSlots& slots, std::vector<std::vector<double>>& grads) {
    const auto* model = dynamic_cast<const Model*>(&layer);
    if (!model) return layerBackward(layer, inputs, tape.pre, tape.output, std::move(dOutput), slots.of(layer, grads));

    std::vector<Tensor> dNodes(model->nodes().size());
    dNodes[model->outputNodes().at(0)] = std::move(dOutput);
    std::vector<Tensor> dInputs(inputs.size());
    const auto& inputNodes = model->inputNodes();
    for (size_t n = model->nodes().size(); n-- > 0;) {
        if (dNodes[n].empty()) continue;  // does not reach the output
        const Layer& child = *model->layers()[model->nodes()[n].layer];
        const auto in = nodeInputs(*model, n, inputs, tape.nodes);
        std::vector<Tensor> dIn = backwardRecord(child, in, tape.nodes[n], std::move(dNodes[n]), slots, grads);
        dNodes[n] = Tensor();
        const auto input = std::find(inputNodes.begin(), inputNodes.end(), static_cast<int>(n));
        if (input != inputNodes.end()) {
            addInto(dInputs[input - inputNodes.begin()], dIn.at(0));
            continue;
        }
        const auto& sources = model->nodes()[n].inputs;
        for (size_t k = 0; k < sources.size(); ++k) addInto(dNodes[sources[k]], dIn.at(k));
    }
    for (size_t i = 0; i < dInputs.size(); ++i)
        if (dInputs[i].empty()) dInputs[i] = Tensor(inputs[i]->shape());
    return dInputs;
}

struct ChunkResult {
    double loss = 0.0;
    std::vector<std::vector<double>> grads;
};

}  // namespace

std::vector<ParameterRef> modelParameters(const Model& model) {
    std::vector<ParameterRef> out;
    model.visit([&](const std::string& path, Layer& layer) {
        if (dynamic_cast<const Model*>(&layer)) return;  // its layers are visited themselves
        for (auto& p : layer.parameters()) out.push_back({path + "/" + p.name, &layer, &p});
    });
    return out;
}

Gradients backward(const Model& model, const Tensor& input, const OutputGradientFn& outputGradient,
                   const BackwardOptions& options) {
    const std::vector<ParameterRef> params = modelParameters(model);
    const GradientSlots slots(params);
    const int64_t n = input.rank() ? input.dim(0) : 0;
    const int64_t chunk = model.mixesSamples() ? std::max<int64_t>(n, 1) : kBackwardChunk;
    const int64_t chunks = (n + chunk - 1) / chunk;
    int threads = options.threads > 0 ? options.threads
                                      : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));

    Gradients result;
    std::vector<std::vector<double>> total(params.size());
    for (size_t i = 0; i < params.size(); ++i) total[i].assign(params[i].parameter->effective.size(), 0.0);
    if (options.inputGradient) result.input = Tensor(input.shape());

    auto runChunk = [&](int64_t c, ChunkResult& out) {
        const int64_t begin = c * chunk, end = std::min(n, begin + chunk);
        const Tensor part = input.slice(begin, end);
        const Tape tape = forwardRecord(model, {&part});
        Tensor dOutput(tape.output.shape());
        out.loss = outputGradient(tape.output, begin, end, dOutput);
        out.grads.assign(params.size(), {});
        std::vector<Tensor> dIn = backwardRecord(model, {&part}, tape, std::move(dOutput), slots, out.grads);
        if (options.inputGradient) std::copy_n(dIn.at(0).data(), dIn[0].size(), result.input.data() + begin * input.rowSize());
    };

    // Rounds of chunks run in parallel; their sums are folded in chunk order.
    const int64_t round = 4 * static_cast<int64_t>(threads);
    std::vector<ChunkResult> partial(round);
    for (int64_t first = 0; first < chunks; first += round) {
        const int64_t count = std::min(round, chunks - first);
        parallelChunks(count, threads, [&](int64_t i) { runChunk(first + i, partial[i]); });
        for (int64_t i = 0; i < count; ++i) {
            result.loss += partial[i].loss;
            for (size_t p = 0; p < params.size(); ++p)
                for (size_t k = 0; k < partial[i].grads[p].size(); ++k) total[p][k] += partial[i].grads[p][k];
        }
    }
    for (size_t p = 0; p < params.size(); ++p) {
        Tensor g(params[p].parameter->shape);
        for (int64_t k = 0; k < g.size(); ++k) g[k] = static_cast<float>(total[p][k]);
        result.parameters.push_back(std::move(g));
    }
    return result;
}

Gradients backward(const Model& model, const Tensor& input, const Tensor& outputGradient,
                   const BackwardOptions& options) {
    return backward(
        model, input,
        [&](const Tensor& output, int64_t begin, int64_t end, Tensor& gradient) {
            const Tensor part = outputGradient.slice(begin, end);
            if (part.size() != output.size())
                throw Error("backward: dOutput of shape " + shapeToString(outputGradient.shape()) +
                            " does not match the model output " + shapeToString(output.shape()));
            gradient.array() = part.array();
            return 0.0;
        },
        options);
}

}  // namespace flipscope
