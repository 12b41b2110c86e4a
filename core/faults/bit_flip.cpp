#include "core/faults/bit_flip.h"

#include "core/common/error.h"

#include <algorithm>
#include <charconv>
#include <utility>

namespace flipscope {

namespace {

Layer& layerOf(const Model& model, const std::string& layerPath) { return model.layerAt(model.resolveLayerPath(layerPath)); }

void checkBit(const LayerParameter& p, const WeightBit& a) {
    if (a.index < 0 || a.index >= p.effective.size())
        throw InputError(a.layerPath + ":" + a.tensor + " has " + std::to_string(p.effective.size()) +
                         " parameters; index " + std::to_string(a.index) + " is out of range");
    if (a.bit < 0 || a.bit >= p.codec.bits())
        throw InputError(a.layerPath + ":" + a.tensor + " has " + std::to_string(p.codec.bits()) + "-bit codes; bit " +
                         std::to_string(a.bit) + " is out of range (0 = LSB)");
}

}  // namespace

BitState bitStateOf(const LayerParameter& p, int64_t index, int bit) {
    BitState s;
    s.value = p.effective[index];
    s.code = p.codec.codeOf(s.value, index);
    s.word = p.codec.bitString(s.code);
    s.bits = p.codec.bits();
    s.isSigned = p.codec.isSigned();
    s.bitSet = (p.codec.wordOf(s.code) >> bit) & 1u;
    s.flippedCode = p.codec.flipCode(s.code, bit);
    s.flippedValue = p.codec.valueOf(s.flippedCode, index);
    return s;
}

BitState flipParameterBit(Layer& layer, LayerParameter& p, int64_t index, int bit) {
    const BitState before = bitStateOf(p, index, bit);
    p.effective[index] = before.flippedValue;
    layer.onEffectiveChanged();
    return before;
}

std::string toString(const WeightBit& a) {
    return a.layerPath + ":" + a.tensor + "[" + std::to_string(a.index) + "].b" + std::to_string(a.bit);
}

WeightBit parseWeightBit(const std::string& text) {
    const auto fail = [&]() -> WeightBit {
        throw InputError("bit '" + text + "' is not of the form LAYER/PATH:TENSOR[INDEX].bBIT (bit 0 = LSB), e.g. " +
                         "encoder/conv2d_0_m:kernel[12].b5");
    };
    const auto colon = text.rfind(':');
    if (colon == std::string::npos || colon == 0) return fail();
    const auto open = text.find('[', colon);
    if (open == std::string::npos) return fail();
    const auto close = text.find("].b", open);
    if (close == std::string::npos) return fail();
    WeightBit a;
    a.layerPath = text.substr(0, colon);
    a.tensor = text.substr(colon + 1, open - colon - 1);
    auto number = [&](size_t begin, size_t end, auto& out) {
        const auto [ptr, ec] = std::from_chars(text.data() + begin, text.data() + end, out);
        return end > begin && ec == std::errc() && ptr == text.data() + end;
    };
    if (a.tensor.empty() || !number(open + 1, close, a.index) || !number(close + 3, text.size(), a.bit)) return fail();
    return a;
}

LayerParameter& flippableParameter(const Model& model, const std::string& layerPath, const std::string& tensor) {
    Layer& layer = layerOf(model, layerPath);
    LayerParameter* p = layer.parameter(tensor);
    if (!p) throw InputError("layer '" + layerPath + "' has no weight '" + tensor + "'");
    if (!p->isFlippable())
        throw InputError(layerPath + ":" + tensor + " is not a fixed-point quantized tensor, so it has no bits to flip");
    return *p;
}

BitState inspectBit(const Model& model, const WeightBit& address) {
    const LayerParameter& p = flippableParameter(model, address.layerPath, address.tensor);
    checkBit(p, address);
    return bitStateOf(p, address.index, address.bit);
}

BitState flipBit(Model& model, const WeightBit& address) {
    Layer& layer = layerOf(model, address.layerPath);
    LayerParameter& p = flippableParameter(model, address.layerPath, address.tensor);
    checkBit(p, address);
    return flipParameterBit(layer, p, address.index, address.bit);
}

void restoreWeights(Model& model, const Model& pristine) {
    std::vector<std::pair<std::string, Layer*>> targets;
    model.visit([&](const std::string& path, Layer& layer) { targets.emplace_back(path, &layer); });
    size_t i = 0;
    pristine.visit([&](const std::string& path, Layer& source) {
        if (i >= targets.size() || targets[i].first != path)
            throw InputError("cannot restore weights: the pristine model's layer '" + path + "' has no twin");
        Layer& target = *targets[i++].second;
        auto& to = target.parameters();
        const auto& from = source.parameters();
        if (to.size() != from.size()) throw InputError("cannot restore weights of layer '" + path + "': weights differ");
        bool changed = false;
        for (size_t p = 0; p < to.size(); ++p) {
            if (to[p].effective.shape() != from[p].effective.shape())
                throw InputError("cannot restore '" + path + ":" + to[p].name + "': shapes differ");
            if (!std::equal(to[p].effective.values().begin(), to[p].effective.values().end(),
                            from[p].effective.values().begin())) {
                to[p].effective = from[p].effective;
                changed = true;
            }
        }
        if (changed) target.onEffectiveChanged();
    });
    if (i != targets.size()) throw InputError("cannot restore weights: the models have different layers");
}

}  // namespace flipscope
