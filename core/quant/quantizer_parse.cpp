#include "core/quant/quantizer_parse.h"

#include "core/common/error.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <map>
#include <sstream>
#include <variant>

namespace flipscope {
namespace {

using json = nlohmann::json;

const std::vector<std::string>& supportedNames() {
    static const std::vector<std::string> names = {"quantized_bits", "quantized_relu", "quantized_po2"};
    return names;
}

// QKeras names we recognise but do not reproduce; they must never fall back to float silently.
bool isKnownUnsupported(const std::string& name) {
    static const std::vector<std::string> names = {
        "quantized_relu_po2", "quantized_tanh", "quantized_sigmoid", "quantized_ulaw", "binary",
        "stochastic_binary", "bernoulli", "ternary", "stochastic_ternary", "quantized_hswish",
        "quantized_linear", "binary_sigmoid", "binary_tanh", "hard_sigmoid", "smooth_sigmoid"};
    return std::find(names.begin(), names.end(), name) != names.end();
}

std::string trim(const std::string& s) {
    size_t b = s.find_first_not_of(" \t\n");
    size_t e = s.find_last_not_of(" \t\n");
    return b == std::string::npos ? "" : s.substr(b, e - b + 1);
}

[[noreturn]] void unsupported(const QuantizerContext& where, const std::string& what) {
    throw UnsupportedError(where.describe() + ": " + what);
}

bool truthy(const json& v, const QuantizerContext& where, const std::string& key) {
    if (v.is_boolean()) return v.get<bool>();
    if (v.is_number()) return v.get<double>() != 0.0;
    if (v.is_null()) return false;
    unsupported(where, "'" + key + "' should be a boolean, found " + v.dump());
}

double number(const json& v, const QuantizerContext& where, const std::string& key) {
    if (v.is_number()) return v.get<double>();
    if (v.is_boolean()) return v.get<bool>() ? 1.0 : 0.0;
    throw InputError(where.describe() + ": '" + key + "' should be a number, found " + v.dump());
}

int wholeNumber(const json& v, const QuantizerContext& where, const std::string& key) {
    const double d = number(v, where, key);
    if (d != std::floor(d)) throw InputError(where.describe() + ": '" + key + "' should be a whole number, found " + v.dump());
    return static_cast<int>(d);
}

void parseAlpha(const json& v, QuantizerSpec& spec, const QuantizerContext& where) {
    if (v.is_null()) {
        spec.alpha = AlphaMode::None;
    } else if (v.is_string()) {
        const std::string s = v.get<std::string>();
        if (s == "auto") spec.alpha = AlphaMode::Auto;
        else if (s == "auto_po2") spec.alpha = AlphaMode::AutoPo2;
        else unsupported(where, "alpha='" + s + "' (supported: None, a number, 'auto', 'auto_po2')");
        spec.symmetric = true;  // QKeras forces symmetric for data-dependent scales
    } else if (v.is_number()) {
        spec.alpha = AlphaMode::Fixed;
        spec.alphaValues = {static_cast<float>(v.get<double>())};
    } else if (v.is_array() && !v.empty() && std::all_of(v.begin(), v.end(), [](const json& x) { return x.is_number(); })) {
        spec.alpha = AlphaMode::Fixed;
        for (const auto& x : v) spec.alphaValues.push_back(static_cast<float>(x.get<double>()));
    } else {
        unsupported(where, "alpha=" + v.dump());
    }
}

// Keys that do not change inference results (training-only or always at their default).
bool isInferenceNeutral(const std::string& key) {
    static const std::vector<std::string> keys = {"use_stochastic_rounding", "var_name", "use_ste",
                                                  "use_variables", "scale_axis", "elements_per_scale",
                                                  "min_po2_exponent", "max_po2_exponent",
                                                  "__passive_serialization__", "relu_upper_bound",
                                                  "is_quantized_clip", "enable_fast_inference", "name"};
    return std::find(keys.begin(), keys.end(), key) != keys.end();
}

QuantizerSpec fromConfig(const std::string& name, const json& config, const QuantizerContext& where) {
    QuantizerSpec spec;
    if (name == "quantized_bits") {
        spec.kind = QuantizerKind::Bits;
    } else if (name == "quantized_relu") {
        spec.kind = QuantizerKind::Relu;
        spec.keepNegative = false;
    } else if (name == "quantized_po2") {
        spec.kind = QuantizerKind::Po2;
    } else if (isKnownUnsupported(name)) {
        unsupported(where, "quantizer '" + name + "' is not supported yet (supported: quantized_bits, quantized_relu, quantized_po2)");
    } else {
        unsupported(where, "unknown quantizer '" + name + "' (supported: quantized_bits, quantized_relu, quantized_po2)");
    }
    json alpha;  // parsed last: a string alpha forces symmetric
    bool hasAlpha = false;
    for (auto it = config.begin(); it != config.end(); ++it) {
        const std::string& key = it.key();
        const json& v = it.value();
        if (key == "bits") spec.bits = wholeNumber(v, where, key);
        else if (key == "integer" && spec.kind != QuantizerKind::Po2) spec.integer = wholeNumber(v, where, key);
        else if (key == "symmetric" && spec.kind == QuantizerKind::Bits) spec.symmetric = truthy(v, where, key);
        else if (key == "keep_negative" && spec.kind == QuantizerKind::Bits) spec.keepNegative = truthy(v, where, key);
        else if (key == "alpha" && spec.kind == QuantizerKind::Bits) { alpha = v; hasAlpha = true; }
        else if (key == "qnoise_factor") spec.qnoiseFactor = static_cast<float>(number(v, where, key));
        else if (key == "max_value" && spec.kind == QuantizerKind::Po2) {
            if (!v.is_null()) spec.maxValue = static_cast<float>(number(v, where, key));
        } else if (key == "quadratic_approximation" && spec.kind == QuantizerKind::Po2)
            spec.quadraticApproximation = truthy(v, where, key);
        else if (key == "log2_rounding" && spec.kind == QuantizerKind::Po2) {
            if (!(v.is_string() && v.get<std::string>() == "rnd"))
                unsupported(where, "log2_rounding=" + v.dump() + " (only 'rnd' is supported)");
        } else if (key == "use_sigmoid" && spec.kind == QuantizerKind::Relu) {
            if (truthy(v, where, key)) unsupported(where, "quantized_relu with use_sigmoid=1");
        } else if (key == "negative_slope" && spec.kind == QuantizerKind::Relu) {
            if (number(v, where, key) != 0.0) unsupported(where, "quantized_relu with negative_slope=" + v.dump());
        } else if (key == "post_training_scale") {
            if (!v.is_null()) unsupported(where, "post_training_scale=" + v.dump());
        } else if (isInferenceNeutral(key)) {
            continue;
        } else {
            unsupported(where, name + " option '" + key + "'=" + v.dump() + " is not supported");
        }
    }
    if (hasAlpha) parseAlpha(alpha, spec, where);
    if (spec.bits < 1 || spec.bits > 32) throw InputError(where.describe() + ": bits=" + std::to_string(spec.bits) + " is out of range 1..32");
    return spec;
}

// One argument value as QKeras's safe_eval converts it (reference 2.3).
json convertLiteral(const std::string& raw) {
    const std::string s = trim(raw);
    if (s == "True") return true;
    if (s == "False") return false;
    if (s == "None") return nullptr;
    try {
        size_t used = 0;
        long long i = std::stoll(s, &used);
        if (used == s.size()) return i;
    } catch (...) {
    }
    try {
        size_t used = 0;
        double d = std::stod(s, &used);
        if (used == s.size()) return d;
    } catch (...) {
    }
    if (s.size() >= 2 && s.front() == '[' && s.back() == ']') {
        json list = json::array();
        std::string inner = s.substr(1, s.size() - 2);
        std::replace(inner.begin(), inner.end(), ',', ' ');
        std::istringstream in(inner);
        double d;
        while (in >> d) list.push_back(d);
        return list;
    }
    return s.size() >= 2 ? json(s.substr(1, s.size() - 2)) : json(s);  // strips the quotes
}

const std::map<std::string, std::vector<std::string>>& positionalOrder() {
    static const std::map<std::string, std::vector<std::string>> order = {
        {"quantized_bits", {"bits", "integer", "symmetric", "keep_negative", "alpha", "use_stochastic_rounding"}},
        {"quantized_relu", {"bits", "integer", "use_sigmoid", "negative_slope", "use_stochastic_rounding", "relu_upper_bound"}},
        {"quantized_po2", {"bits", "max_value", "use_stochastic_rounding", "quadratic_approximation"}},
    };
    return order;
}

}  // namespace

std::string QuantizerContext::describe() const {
    std::string out;
    if (!layer.empty()) out += "layer '" + layer + "'";
    if (!field.empty()) out += (out.empty() ? "" : ", ") + field;
    return out.empty() ? "quantizer" : out;
}

bool isQuantizerName(const std::string& text) {
    const std::string name = trim(text.substr(0, text.find('(')));
    return std::find(supportedNames().begin(), supportedNames().end(), name) != supportedNames().end() ||
           isKnownUnsupported(name) || name.rfind("quantized_", 0) == 0;
}

QuantizerSpec parseQuantizerString(const std::string& text, const QuantizerContext& where) {
    const auto open = text.find('(');
    const std::string name = trim(text.substr(0, open));
    json config = json::object();
    const bool oneParen = open != std::string::npos && std::count(text.begin(), text.end(), '(') == 1;
    // A quantizer we do not reproduce is reported by name, before its arguments are read.
    if (positionalOrder().find(name) == positionalOrder().end()) return fromConfig(name, config, where);
    if (oneParen) {  // QKeras quirk: with more than one '(' the arguments are ignored
        const auto close = text.rfind(')');
        if (close == std::string::npos || close < open)
            throw InputError(where.describe() + ": malformed quantizer string '" + text + "'");
        const std::string inner = text.substr(open + 1, close - open - 1);
        std::vector<std::string> parts;
        int depth = 0;
        std::string current;
        for (char c : inner) {
            if (c == '[') ++depth;
            if (c == ']') --depth;
            if (c == ',' && depth == 0) {
                parts.push_back(current);
                current.clear();
            } else {
                current += c;
            }
        }
        if (!trim(current).empty() || !parts.empty()) parts.push_back(current);
        const auto order = positionalOrder().find(name);
        size_t positional = 0;
        bool sawKeyword = false;
        for (const std::string& part : parts) {
            const std::string p = trim(part);
            if (p.empty()) continue;
            const auto eq = p.find('=');
            if (eq != std::string::npos) {
                sawKeyword = true;
                config[trim(p.substr(0, eq))] = convertLiteral(p.substr(eq + 1));
            } else {
                if (sawKeyword)
                    throw InputError(where.describe() + ": positional argument after keyword in '" + text + "'");
                if (order == positionalOrder().end() || positional >= order->second.size())
                    throw UnsupportedError(where.describe() + ": cannot interpret argument '" + p + "' of '" + text + "'");
                config[order->second[positional++]] = convertLiteral(p);
            }
        }
    }
    return fromConfig(name, config, where);
}

std::optional<QuantizerSpec> parseQuantizer(const json& value, const QuantizerContext& where) {
    if (value.is_null()) return std::nullopt;
    if (value.is_string()) return parseQuantizerString(value.get<std::string>(), where);
    if (value.is_object() && value.contains("class_name")) {
        const json config = value.value("config", json::object());
        return fromConfig(value["class_name"].get<std::string>(), config, where);
    }
    throw InputError(where.describe() + ": expected a quantizer (string or {class_name, config}), found " + value.dump());
}

void applyKernelQuantizerDefaults(QuantizerSpec& spec) {
    if (spec.kind == QuantizerKind::Bits && spec.alpha == AlphaMode::None) {
        spec.alpha = AlphaMode::AutoPo2;
        spec.symmetric = true;
    }
}

}  // namespace flipscope
