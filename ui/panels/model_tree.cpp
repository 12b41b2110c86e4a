#include "ui/panels/model_tree.h"

#include <QHeaderView>

#include <map>

namespace flipscope::ui {

ModelTree::ModelTree(QWidget* parent) : QTreeWidget(parent) {
    setColumnCount(ColumnCount);
    setHeaderLabels({"Layer", "Class", "Shape", "Params", "Bits", "Quantizer"});
    setUniformRowHeights(true);
    setAlternatingRowColors(true);
    setRootIsDecorated(true);
    setIndentation(14);
    header()->setStretchLastSection(true);
    header()->setSectionResizeMode(QHeaderView::Interactive);
    connect(this, &QTreeWidget::currentItemChanged, this, [this](QTreeWidgetItem* item) {
        if (!item || syncing_) return;
        emit tensorChosen(item->data(Name, LayerPathRole).toString(), item->data(Name, TensorRole).toString());
    });
}

void ModelTree::showModel(const ModelSummary& summary) {
    clear();
    std::map<QString, QTreeWidgetItem*> byPath;
    const QColor muted = palette().color(QPalette::Disabled, QPalette::Text);
    for (const auto& layer : summary.layers) {
        const QString path = QString::fromStdString(layer.path);
        const int slash = path.lastIndexOf('/');
        QTreeWidgetItem* parent = slash < 0 ? nullptr : byPath[path.left(slash)];
        auto* item = parent ? new QTreeWidgetItem(parent) : new QTreeWidgetItem(this);
        byPath[path] = item;
        item->setText(Name, path.mid(slash + 1));
        item->setToolTip(Name, path);
        item->setText(Class, QString::fromStdString(layer.className));
        item->setText(Shape, QString::fromStdString(shapeToString(layer.outputShape)));
        item->setData(Name, LayerPathRole, path);
        int64_t params = 0, bits = 0;
        QStringList quantizers;
        for (const auto& t : layer.tensors) {
            params += t.params;
            bits += t.bits;
            if (!quantizers.contains(QString::fromStdString(t.quantizer))) quantizers << QString::fromStdString(t.quantizer);
            auto* child = new QTreeWidgetItem(item);
            child->setText(Name, QString::fromStdString(t.tensor));
            child->setText(Shape, QString::fromStdString(shapeToString(t.shape)));
            child->setText(Quantizer, QString::fromStdString(t.quantizer));
            child->setText(Params, QString::number(t.params));
            child->setText(Bits, t.flippable ? QString::number(t.bits) : QString("—"));
            child->setToolTip(Bits, t.flippable ? QString("%1 × %2 bits").arg(t.params).arg(t.bitWidth)
                                                : QString("not a fixed-point code: no bits to flip"));
            child->setData(Name, LayerPathRole, path);
            child->setData(Name, TensorRole, QString::fromStdString(t.tensor));
            for (int c = 0; c < ColumnCount; ++c) child->setForeground(c, muted);
        }
        if (quantizers.isEmpty() && !layer.description.empty()) quantizers << QString::fromStdString(layer.description);
        item->setText(Quantizer, quantizers.join("; "));
        item->setToolTip(Quantizer, item->text(Quantizer));
        if (params) {
            item->setText(Params, QString::number(params));
            item->setText(Bits, QString::number(bits));
        }
        for (int c : {Params, Bits}) item->setTextAlignment(c, Qt::AlignRight | Qt::AlignVCenter);
    }
    for (auto& [path, item] : byPath)
        for (int i = 0; i < item->childCount(); ++i)
            for (int c : {Params, Bits}) item->child(i)->setTextAlignment(c, Qt::AlignRight | Qt::AlignVCenter);
    expandAll();
    // Tensor rows collapsed under their layer would hide them; keep layers open, but tidy.
    for (int c = 0; c < ColumnCount; ++c) resizeColumnToContents(c);
    setColumnWidth(Name, std::min(columnWidth(Name) + 8, 200));
    setColumnWidth(Class, std::min(columnWidth(Class), 130));
}

QTreeWidgetItem* ModelTree::itemFor(const QString& layerPath, const QString& tensor) const {
    QTreeWidgetItemIterator it(const_cast<ModelTree*>(this));
    for (; *it; ++it)
        if ((*it)->data(Name, LayerPathRole).toString() == layerPath && (*it)->data(Name, TensorRole).toString() == tensor)
            return *it;
    return nullptr;
}

void ModelTree::selectTensor(const QString& layerPath, const QString& tensor) {
    QTreeWidgetItem* item = itemFor(layerPath, tensor);
    if (!item || item == currentItem()) return;
    syncing_ = true;
    setCurrentItem(item);
    scrollToItem(item);
    syncing_ = false;
}

}  // namespace flipscope::ui
