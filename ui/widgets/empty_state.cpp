#include "ui/widgets/empty_state.h"

#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

namespace flipscope::ui {

EmptyState::EmptyState(QWidget* parent) : QWidget(parent) {
    auto* title = new QLabel("<h2>No model open</h2>", this);
    auto* text = new QLabel(
        "Open a Keras / QKeras model (.h5) to see every bit of its quantized weights, flip bits and "
        "watch what the flips do to its outputs.<br>You can also drop a model file and a dataset "
        "(.npy, .csv, .h5, IDX) onto this window.",
        this);
    text->setWordWrap(true);
    text->setAlignment(Qt::AlignCenter);
    text->setMaximumWidth(520);
    auto* open = new QPushButton("Open model…", this);
    open->setDefault(true);
    detail_ = new QLabel(this);
    detail_->setWordWrap(true);
    detail_->setAlignment(Qt::AlignCenter);
    detail_->setForegroundRole(QPalette::PlaceholderText);
    detail_->setMaximumWidth(520);
    auto* layout = new QVBoxLayout(this);
    layout->addStretch();
    layout->addWidget(title, 0, Qt::AlignCenter);
    layout->addWidget(text, 0, Qt::AlignCenter);
    layout->addSpacing(12);
    layout->addWidget(open, 0, Qt::AlignCenter);
    layout->addSpacing(12);
    layout->addWidget(detail_, 0, Qt::AlignCenter);
    layout->addStretch();
    connect(open, &QPushButton::clicked, this, &EmptyState::openModelRequested);
}

void EmptyState::setDetail(const QString& detail) { detail_->setText(detail); }

}  // namespace flipscope::ui
