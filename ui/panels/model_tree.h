#pragma once
// The model's layers in order, nested models as children, each quantized tensor as a child of its
// layer: class, output (or tensor) shape, quantizer, parameters and bits. Selecting a layer or a
// tensor asks the bit grid to show it.
#include "core/model/model_summary.h"

#include <QTreeWidget>

namespace flipscope::ui {

class ModelTree : public QTreeWidget {
    Q_OBJECT
public:
    enum Column { Name, Class, Shape, Params, Bits, Quantizer, ColumnCount };
    enum Role { LayerPathRole = Qt::UserRole + 1, TensorRole };

    explicit ModelTree(QWidget* parent = nullptr);

    void showModel(const ModelSummary& summary);
    // Selects the row of a tensor (without emitting tensorChosen).
    void selectTensor(const QString& layerPath, const QString& tensor);
    QTreeWidgetItem* itemFor(const QString& layerPath, const QString& tensor = {}) const;

signals:
    // A layer (tensor empty) or one of its tensors was chosen by the user.
    void tensorChosen(const QString& layerPath, const QString& tensor);

private:
    bool syncing_ = false;
};

}  // namespace flipscope::ui
