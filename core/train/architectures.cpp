#include "core/train/architectures.h"

#include "core/common/error.h"

namespace flipscope {
namespace {

using json = nlohmann::json;

json quantizer(int bits, int integer) {  // quantized_bits(bits, integer, 0, alpha=1) as GetQbits builds it
    return {{"class_name", "quantized_bits"},
            {"config", {{"bits", bits}, {"integer", integer}, {"symmetric", 0}, {"alpha", 1},
                        {"keep_negative", true}, {"use_stochastic_rounding", false}, {"qnoise_factor", 1.0}}}};
}

json qrelu(int bits, int integer) {
    return {{"class_name", "quantized_relu"},
            {"config", {{"bits", bits}, {"integer", integer}, {"use_sigmoid", 0}, {"negative_slope", 0.0},
                        {"use_stochastic_rounding", false}, {"relu_upper_bound", nullptr}, {"qnoise_factor", 1.0}}}};
}

// Builds a Functional config layer by layer, each layer fed by the previous one.
class Chain {
public:
    explicit Chain(std::string name) : name_(std::move(name)) {}

    Chain& input(const std::string& name, const std::vector<int>& shape) {
        json batch = json::array({nullptr});
        for (int d : shape) batch.push_back(d);
        add("InputLayer", name, {{"batch_input_shape", batch}, {"dtype", "float32"}, {"sparse", false}});
        inputName_ = name;
        return *this;
    }
    Chain& add(const std::string& className, const std::string& name, json config) {
        config["name"] = name;
        config["trainable"] = true;
        config["dtype"] = "float32";
        json entry = {{"class_name", className}, {"config", config}, {"name", name}};
        entry["inbound_nodes"] = previous_.empty() ? json::array() : json::array({json::array({json::array({previous_, 0, 0, json::object()})})});
        layers_.push_back(entry);
        previous_ = name;
        return *this;
    }
    // A nested model called on the previous layer (node index 1: its node 0 is its own build).
    Chain& nested(const json& model) {
        json entry = model;
        entry["name"] = model["config"]["name"];
        entry["inbound_nodes"] = json::array({json::array({json::array({previous_, previousIsModel_ ? 1 : 0, 0, json::object()})})});
        layers_.push_back(entry);
        previous_ = entry["name"];
        previousIsModel_ = true;
        return *this;
    }
    json build() const {
        return {{"class_name", "Functional"},
                {"config", {{"name", name_}, {"layers", layers_},
                            {"input_layers", json::array({json::array({inputName_, 0, 0})})},
                            {"output_layers", json::array({json::array({previous_, previousIsModel_ ? 1 : 0, 0})})}}}};
    }

private:
    std::string name_, inputName_, previous_;
    bool previousIsModel_ = false;
    json layers_ = json::array();
};

json qdense(int units, int bits, int integer) {
    return {{"units", units}, {"activation", "linear"}, {"use_bias", true}, {"kernel_quantizer", quantizer(bits, integer)},
            {"bias_quantizer", quantizer(bits, integer)}, {"kernel_initializer", {{"class_name", "GlorotUniform"}, {"config", {{"seed", nullptr}}}}}};
}

json qconv(int filters, int kernel, int stride, int bits, int integer, const std::string& padding = "same") {
    return {{"filters", filters}, {"kernel_size", {kernel, kernel}}, {"strides", {stride, stride}}, {"padding", padding},
            {"data_format", "channels_last"}, {"dilation_rate", {1, 1}}, {"groups", 1}, {"activation", "linear"},
            {"use_bias", true}, {"kernel_quantizer", quantizer(bits, integer)}, {"bias_quantizer", quantizer(bits, integer)}};
}

json dense(int units, const std::string& activation) {
    return {{"units", units}, {"activation", activation}, {"use_bias", true}};
}

json convTranspose(int filters, int kernel, int stride, const std::string& activation) {
    return {{"filters", filters}, {"kernel_size", {kernel, kernel}}, {"strides", {stride, stride}}, {"padding", "same"},
            {"data_format", "channels_last"}, {"dilation_rate", {1, 1}}, {"output_padding", nullptr},
            {"activation", activation}, {"use_bias", true}};
}

json activation(const json& act) { return {{"activation", act}}; }

struct EcontSpec {
    int inputBits, conv, convKernel, convBits, accumBits, accumInteger;
    std::vector<int> hiddenDense;  // before the latent layer
    int denseBits, latentBits, latentInteger;
};

json econt(const EcontSpec& s) {
    Chain encoder("encoder");
    encoder.input("input_1", {8, 8, 1}).add("QActivation", "input_qa", activation(quantizer(s.inputBits, 3)));
    if (s.conv > 0) {
        encoder.add("QConv2D", "conv2d_0_m", qconv(s.conv, s.convKernel, 2, s.convBits, 1))
            .add("QActivation", "accum1_qa", activation(qrelu(s.accumBits, s.accumInteger)));
    }
    encoder.add("Flatten", "flatten", {{"data_format", "channels_last"}});
    for (size_t i = 0; i < s.hiddenDense.size(); ++i)
        encoder.add("QDense", "en_dense_" + std::to_string(i), qdense(s.hiddenDense[i], s.denseBits, 1))
            .add("QActivation", "en_qa_" + std::to_string(i), activation(qrelu(s.latentBits, s.latentInteger)));
    encoder.add("QDense", "encoded_vector", qdense(16, s.denseBits, 1))
        .add("QActivation", "encod_qa", activation(qrelu(s.latentBits, s.latentInteger)));

    Chain decoder("decoder");
    decoder.input("decoder_input", {16});
    if (s.conv > 0) {
        decoder.add("Dense", "de_dense_final", dense(4 * 4 * s.conv, "relu"))
            .add("Reshape", "de_reshape", {{"target_shape", {4, 4, s.conv}}})
            .add("Conv2DTranspose", "conv2D_t_0", convTranspose(s.conv, s.convKernel, 2, "relu"))
            .add("Conv2DTranspose", "conv2d_t_final", convTranspose(1, s.convKernel, 1, "linear"));
    } else {
        decoder.add("Dense", "de_dense_0", dense(16, "relu"))
            .add("Dense", "de_dense_final", dense(64, "relu"))
            .add("Reshape", "de_reshape", {{"target_shape", {8, 8, 1}}})
            .add("Conv2DTranspose", "conv2d_t_final", convTranspose(1, 3, 1, "linear"));
    }
    decoder.add("Activation", "decoder_output", {{"activation", "sigmoid"}});

    Chain autoencoder("autoencoder");
    autoencoder.input("input_1", {8, 8, 1}).nested(encoder.build()).nested(decoder.build());
    return autoencoder.build();
}

// A small quantized Fashion-MNIST classifier: two 6-bit QConv2D + quantized_relu + max-pool
// stages, then a 6-bit QDense to 10 classes and a softmax.
json fmnistCnn() {
    const json pool = {{"pool_size", {2, 2}}, {"strides", {2, 2}}, {"padding", "valid"}, {"data_format", "channels_last"}};
    Chain model("fmnist_cnn");
    model.input("input_1", {28, 28, 1})
        .add("QConv2D", "conv1", qconv(8, 3, 1, 6, 0, "valid"))
        .add("QActivation", "relu1", activation(qrelu(6, 2)))
        .add("MaxPooling2D", "pool1", pool)
        .add("QConv2D", "conv2", qconv(16, 3, 1, 6, 0, "valid"))
        .add("QActivation", "relu2", activation(qrelu(6, 2)))
        .add("MaxPooling2D", "pool2", pool)
        .add("Flatten", "flatten", {{"data_format", "channels_last"}})
        .add("QDense", "dense", qdense(10, 6, 0))
        .add("Activation", "softmax", {{"activation", "softmax"}});
    return model.build();
}

}  // namespace

const std::vector<std::string>& architectureNames() {
    static const std::vector<std::string> names = {"econt-small", "econt-medium", "econt-large", "fmnist-cnn"};
    return names;
}

json architectureConfig(const std::string& name) {
    // Quantizers per reference table 1.4; the Small model has one hidden QDense before the latent.
    if (name == "econt-small") return econt({10, 0, 0, 0, 0, 0, {16}, 8, 16, 3});
    if (name == "econt-medium") return econt({11, 8, 3, 6, 12, 3, {}, 6, 9, 1});
    if (name == "econt-large") return econt({10, 32, 5, 5, 11, 3, {}, 7, 13, 3});
    if (name == "fmnist-cnn") return fmnistCnn();
    std::string known;
    for (const auto& n : architectureNames()) known += (known.empty() ? "" : ", ") + n;
    throw InputError("unknown architecture '" + name + "' (known: " + known + ")");
}

}  // namespace flipscope
