#include "core/train/losses.h"

#include "core/common/error.h"
#include "core/metrics/basic_metrics.h"
#include "core/metrics/econt_remap.h"
#include "core/metrics/telescope.h"

#include <algorithm>
#include <cmath>
#include <span>

namespace flipscope {
namespace {

std::span<const float> rowsOf(const float* p, int64_t rows, int64_t width) {
    return {p, static_cast<size_t>(rows * width)};
}

double scaledSum(const std::vector<double>& perSample, double scale) {
    double sum = 0.0;
    for (double v : perSample) sum += v;
    return scale * sum;
}

class MseLoss : public Loss {
public:
    std::string name() const override { return "mse"; }
    double sumRows(const float* y, const float* t, int64_t rows, int64_t width, double scale,
                   float* gradient) const override {
        if (gradient)
            for (int64_t i = 0; i < rows * width; ++i)
                gradient[i] = static_cast<float>(scale * 2.0 * (static_cast<double>(y[i]) - t[i]) / width);
        return scaledSum(mseRows(rowsOf(y, rows, width), rowsOf(t, rows, width), width), scale);
    }
};

class TelescopeLoss : public Loss {
public:
    std::string name() const override { return "telescope"; }
    double sumRows(const float* y, const float* t, int64_t rows, int64_t width, double scale,
                   float* gradient) const override {
        if (width != kEcontPixels)
            throw InputError("the telescope loss needs 8x8 outputs (64 values per sample), the model gives " +
                             std::to_string(width));
        double sum = 0.0;
        std::vector<double> yc(kEcontCells), tc(kEcontCells), gc(kEcontCells);
        for (int64_t r = 0; r < rows; ++r) {
            imageToCells({y + r * width, kEcontPixels}, yc);
            imageToCells({t + r * width, kEcontPixels}, tc);
            if (!gradient) {
                sum += telescopeLoss(tc, yc);
                continue;
            }
            sum += telescopeGradient(tc, yc, gc);
            for (double& g : gc) g *= scale;
            cellsToImage(gc, {gradient + r * width, kEcontPixels});
        }
        return scale * sum;
    }
};

class CrossEntropyLoss : public Loss {
public:
    std::string name() const override { return "categorical_crossentropy"; }
    double sumRows(const float* y, const float* t, int64_t rows, int64_t width, double scale,
                   float* gradient) const override {
        // Keras: p = y / sum(y); q = clip(p, eps, 1 - eps); loss = -sum(t * log q).
        for (int64_t r = 0; gradient && r < rows; ++r) {
            const float* yr = y + r * width;
            const float* tr = t + r * width;
            double s = 0.0;
            for (int64_t k = 0; k < width; ++k) s += yr[k];
            std::vector<double> dp(width);
            double dot = 0.0;  // sum_j dL/dp_j * p_j
            for (int64_t k = 0; k < width; ++k) {
                const double p = yr[k] / s;
                const bool inside = p >= kKerasEpsilon && p <= 1.0 - kKerasEpsilon;
                dp[k] = inside ? -tr[k] / p : 0.0;
                dot += dp[k] * p;
            }
            for (int64_t k = 0; k < width; ++k) gradient[r * width + k] = static_cast<float>(scale * (dp[k] - dot) / s);
        }
        return scaledSum(crossEntropyRows(rowsOf(y, rows, width), rowsOf(t, rows, width), width), scale);
    }
};

class CrossEntropyFromLogitsLoss : public Loss {
public:
    std::string name() const override { return "categorical_crossentropy_from_logits"; }
    double sumRows(const float* z, const float* t, int64_t rows, int64_t width, double scale,
                   float* gradient) const override {
        for (int64_t r = 0; gradient && r < rows; ++r) {  // softmax(z) * sum(t) - t
            const float* zr = z + r * width;
            const float* tr = t + r * width;
            const double mx = *std::max_element(zr, zr + width);
            double s = 0.0, total = 0.0;
            for (int64_t k = 0; k < width; ++k) {
                s += std::exp(zr[k] - mx);
                total += tr[k];
            }
            for (int64_t k = 0; k < width; ++k)
                gradient[r * width + k] = static_cast<float>(scale * (std::exp(zr[k] - mx) / s * total - tr[k]));
        }
        return scaledSum(crossEntropyFromLogitsRows(rowsOf(z, rows, width), rowsOf(t, rows, width), width), scale);
    }
};

}  // namespace

double Loss::mean(const Tensor& output, const Tensor& target, Tensor* gradient) const {
    if (output.size() != target.size() || output.rank() == 0)
        throw InputError(name() + " loss: output " + shapeToString(output.shape()) + " and target " +
                         shapeToString(target.shape()) + " do not match");
    const int64_t rows = output.dim(0);
    if (rows == 0) throw InputError(name() + " loss of an empty batch");
    if (gradient) *gradient = Tensor(output.shape());
    return sumRows(output.data(), target.data(), rows, output.rowSize(), 1.0 / static_cast<double>(rows),
                   gradient ? gradient->data() : nullptr);
}

const std::vector<std::string>& lossNames() {
    static const std::vector<std::string> names = {"mse", "telescope", "categorical_crossentropy",
                                                   "categorical_crossentropy_from_logits"};
    return names;
}

std::unique_ptr<Loss> makeLoss(const std::string& name) {
    if (name == "mse") return std::make_unique<MseLoss>();
    if (name == "telescope") return std::make_unique<TelescopeLoss>();
    if (name == "categorical_crossentropy") return std::make_unique<CrossEntropyLoss>();
    if (name == "categorical_crossentropy_from_logits") return std::make_unique<CrossEntropyFromLogitsLoss>();
    std::string known;
    for (const auto& n : lossNames()) known += (known.empty() ? "" : ", ") + n;
    throw InputError("unknown loss '" + name + "' (known: " + known + ")");
}

Tensor oneHot(const std::vector<int64_t>& labels, int64_t classes) {
    Tensor t({static_cast<int64_t>(labels.size()), classes});
    for (size_t i = 0; i < labels.size(); ++i) {
        if (labels[i] < 0 || labels[i] >= classes)
            throw InputError("label " + std::to_string(labels[i]) + " of sample " + std::to_string(i) +
                             " is not a class index in [0, " + std::to_string(classes) + ")");
        t[static_cast<int64_t>(i) * classes + labels[i]] = 1.0f;
    }
    return t;
}

}  // namespace flipscope
