#pragma once
// One Keras layer: its config, its weights (as stored and as the forward pass uses them), and
// its forward computation on a batch (first axis = samples).
#include "core/model/tensor.h"
#include "core/quant/bit_codec.h"
#include "core/quant/quantizer.h"

#include <nlohmann/json.hpp>

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace flipscope {

struct BatchNormConfig;  // core/model/layers/batchnorm_fold.h

// A weight tensor of a layer. `stored` is what the .h5 file holds (float, unquantized);
// `effective` is what the forward pass uses: folded (batch-norm layers) and quantized. Faults are
// injected into `effective` through `codec`.
struct LayerParameter {
    std::string name;  // "kernel", "bias", "gamma", "beta", "moving_mean", "moving_variance"
    Shape shape;       // expected shape, known once the layer is built
    Tensor stored;
    bool loaded = false;
    std::optional<QuantizerSpec> quantizer;  // null: used as float
    Tensor effective;
    BitCodec codec;          // meaningful when isFlippable()
    bool trainable = true;
    bool isQuantized() const { return quantizer.has_value(); }
    bool isFlippable() const { return quantizer && quantizer->isFixedPoint(); }
};

class Layer {
public:
    Layer(std::string className, const nlohmann::json& config);
    virtual ~Layer() = default;
    Layer& operator=(const Layer&) = delete;

    virtual std::unique_ptr<Layer> clone() const = 0;

    const std::string& name() const { return name_; }
    const std::string& className() const { return className_; }
    const nlohmann::json& config() const { return config_; }

    // Checks the input shapes (without the batch axis), declares the weights with their shapes,
    // and returns the output shape. Errors name the layer.
    virtual Shape build(const std::vector<Shape>& inputShapes) = 0;
    const Shape& outputShape() const { return outputShape_; }
    const std::vector<Shape>& inputShapes() const { return inputShapes_; }

    // After the weights are loaded: computes every parameter's effective tensor and codec.
    virtual void prepare();
    // Called after a fault engine edited effective tensors in place, so derived caches follow.
    virtual void onEffectiveChanged() {}
    // Forward on a batch: inputs and output carry the batch axis first.
    virtual Tensor forward(const std::vector<const Tensor*>& inputs) const = 0;

    std::vector<LayerParameter>& parameters() { return parameters_; }
    const std::vector<LayerParameter>& parameters() const { return parameters_; }
    LayerParameter* parameter(const std::string& name);
    const LayerParameter* parameter(const std::string& name) const;

    // A short human description of what the layer does ("relu", "quantized_relu(6,0)", ...).
    virtual std::string describe() const { return ""; }
    // True when the forward result for a sample depends on other samples of the batch
    // (a data-dependent activation scale): such layers must see the whole batch at once.
    virtual bool mixesSamples() const { return false; }

    [[noreturn]] void fail(const std::string& message) const;

protected:
    Layer(const Layer&) = default;
    LayerParameter& declareParameter(const std::string& name, Shape shape,
                                     std::optional<QuantizerSpec> quantizer = std::nullopt);
    // Quantizes `p.effective` in place (if p has a quantizer) and sets up its codec.
    void quantizeEffective(LayerParameter& p) const;
    // Kernel/bias layers (Dense, Conv2D, Conv2DTranspose and the QKeras batch-norm folding variants;
    // core/model/layers/batchnorm_fold.cpp): declares the kernel, the bias of `channels` entries
    // (zero when a folding layer has none in the file) and, when `fold` is set, the batch-norm
    // weights; foldBatchNorm() is such a layer's prepare(): fold, then quantize.
    void declareKernelAndBias(Shape kernelShape, int64_t channels, bool useBias, const BatchNormConfig* fold);
    void foldBatchNorm(const BatchNormConfig& bn, int64_t channels);
    void setShapes(const std::vector<Shape>& inputs, Shape output);
    const nlohmann::json& configValue(const std::string& key) const;  // throws if missing
    template <class T>
    T configOr(const std::string& key, T fallback) const {
        auto it = config_.find(key);
        return it == config_.end() || it->is_null() ? fallback : it->template get<T>();
    }

    std::string className_;
    std::string name_;
    nlohmann::json config_;
    std::vector<LayerParameter> parameters_;
    std::vector<Shape> inputShapes_;
    Shape outputShape_;
};

// Gives each concrete layer its clone() without a hand-written twin in every class.
template <class Derived>
class LayerImpl : public Layer {
public:
    using Layer::Layer;
    std::unique_ptr<Layer> clone() const override {
        return std::make_unique<Derived>(static_cast<const Derived&>(*this));
    }
};

}  // namespace flipscope
