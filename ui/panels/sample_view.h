#pragma once
// One sample before and after the flips, side by side, drawn as fits the model:
//  - ECON-T autoencoder (8x8x1 -> 8x8x1): the 48 trigger-cell charge maps as hexagons, each as
//    fractions of its total charge (what the EMD compares): input, output of the unflipped model,
//    output with the flips, and their difference;
//  - other image autoencoders: the same as heat maps of the images;
//  - classifiers and other models: the input (as an image when it is one) and the outputs as
//    paired bars (class probabilities before/after, the true label highlighted).
#include "core/faults/flip_outcome.h"

#include <QWidget>

#include <optional>

class QGridLayout;

namespace flipscope::ui {

class SampleView : public QWidget {
    Q_OBJECT
public:
    enum class Mode { None, EcontMaps, ImageMaps, Bars };

    explicit SampleView(QWidget* parent = nullptr);
    // Shows sample `sample` of `inputs` with the outputs of `comparison` (both may be null).
    void show(const Tensor* inputs, const FlipComparison* comparison, int64_t sample, std::optional<int64_t> label);
    Mode mode() const { return mode_; }

private:
    void clearViews();
    void showEcont(const float* input, const float* before, const float* after);
    void showImages(const Tensor& inputs, const float* input, const float* before, const float* after, int64_t outSize);
    void showBars(const Tensor& inputs, const float* input, const float* before, const float* after, int64_t outSize,
                  std::optional<int64_t> label);

    QGridLayout* grid_ = nullptr;
    Mode mode_ = Mode::None;
};

}  // namespace flipscope::ui
