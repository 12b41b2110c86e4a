#include "ui/panels/bit_selection_editor.h"

#include "core/common/error.h"

#include <QCheckBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLineEdit>
#include <QListWidget>
#include <QRegularExpression>

namespace flipscope::ui {

BitSelectionEditor::BitSelectionEditor(QWidget* parent) : QWidget(parent) {
    layers_ = new QListWidget(this);
    layers_->setObjectName("campaignLayers");
    layers_->setMaximumHeight(110);
    layers_->setToolTip("Layers whose bits are flipped");
    kernel_ = new QCheckBox("kernel", this);
    kernel_->setChecked(true);
    bias_ = new QCheckBox("bias", this);
    bits_ = new QLineEdit(this);
    bits_->setObjectName("campaignBits");
    bits_->setPlaceholderText("all (or e.g. 0,1,5; 0 = LSB)");
    bits_->setToolTip("Bit positions to flip, counted from the LSB (0); empty = every bit");

    auto* tensors = new QHBoxLayout;
    tensors->addWidget(kernel_);
    tensors->addWidget(bias_);
    tensors->addStretch(1);
    auto* form = new QFormLayout(this);
    form->setContentsMargins(0, 0, 0, 0);
    form->addRow("Layers", layers_);
    form->addRow("Tensors", tensors);
    form->addRow("Bit positions", bits_);

    connect(layers_, &QListWidget::itemChanged, this, &BitSelectionEditor::changed);
    connect(kernel_, &QCheckBox::toggled, this, &BitSelectionEditor::changed);
    connect(bias_, &QCheckBox::toggled, this, &BitSelectionEditor::changed);
    connect(bits_, &QLineEdit::textChanged, this, &BitSelectionEditor::changed);
}

void BitSelectionEditor::setTensors(const std::vector<FlippableTensor>& tensors) {
    QSignalBlocker block(layers_);
    layers_->clear();
    QStringList seen;
    for (const FlippableTensor& t : tensors) {
        const QString layer = QString::fromStdString(t.layerPath);
        if (seen.contains(layer)) continue;
        seen << layer;
        auto* item = new QListWidgetItem(layer, layers_);
        item->setFlags(item->flags() | Qt::ItemIsUserCheckable);
        item->setCheckState(Qt::Checked);
    }
    emit changed();
}

BitSpaceFilter BitSelectionEditor::filter() const {
    BitSpaceFilter filter;
    bool all = true;
    for (int i = 0; i < layers_->count(); ++i) {
        if (layers_->item(i)->checkState() == Qt::Checked) filter.layers.push_back(layers_->item(i)->text().toStdString());
        else all = false;
    }
    if (filter.layers.empty()) throw InputError("Layers: choose at least one layer");
    if (all) filter.layers.clear();  // every layer, without naming them
    filter.tensors.clear();
    if (kernel_->isChecked()) filter.tensors.insert("kernel");
    if (bias_->isChecked()) filter.tensors.insert("bias");
    if (filter.tensors.empty()) throw InputError("Tensors: choose kernel, bias or both");
    const QString text = bits_->text().trimmed();
    if (!text.isEmpty() && text.compare("all", Qt::CaseInsensitive) != 0) {
        for (const QString& part : text.split(QRegularExpression("[,\\s]+"), Qt::SkipEmptyParts)) {
            bool ok = false;
            const int bit = part.toInt(&ok);
            if (!ok || bit < 0 || bit > 63)
                throw InputError("Bit positions: '" + part.toStdString() + "' is not a bit position (0 = LSB .. 63)");
            filter.bitPositions.insert(bit);
        }
    }
    return filter;
}

}  // namespace flipscope::ui
