#pragma once
// Which bits a campaign (or a ranking) covers: a checkable list of the model's layers with
// flippable tensors, the tensor kinds (kernel, bias) and the bit positions ("all" or a list such
// as "0,1,5", 0 = LSB). Produces core's BitSpaceFilter.
#include "core/faults/bit_space.h"
#include "core/faults/flippable_tensors.h"

#include <QWidget>

class QCheckBox;
class QLineEdit;
class QListWidget;

namespace flipscope::ui {

class BitSelectionEditor : public QWidget {
    Q_OBJECT
public:
    explicit BitSelectionEditor(QWidget* parent = nullptr);

    // The model's flippable tensors: one row per layer, all checked.
    void setTensors(const std::vector<FlippableTensor>& tensors);
    // Throws InputError naming the field when the selection cannot be used.
    BitSpaceFilter filter() const;

    QListWidget* layerList() const { return layers_; }
    QCheckBox* kernelBox() const { return kernel_; }
    QCheckBox* biasBox() const { return bias_; }
    QLineEdit* bitsEdit() const { return bits_; }

signals:
    void changed();

private:
    QListWidget* layers_ = nullptr;
    QCheckBox* kernel_ = nullptr;
    QCheckBox* bias_ = nullptr;
    QLineEdit* bits_ = nullptr;
};

}  // namespace flipscope::ui
