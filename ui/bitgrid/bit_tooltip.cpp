#include "ui/bitgrid/bit_tooltip.h"

#include "ui/bitgrid/colour_scale.h"

#include <QStringList>

namespace flipscope::ui {

QString bitName(const FlippableTensor& t, int bit) {
    if (bit == t.bits - 1) return t.isSigned ? "S (sign, MSB)" : QString("b%1 (MSB)").arg(bit);
    if (bit == 0) return "b0 (LSB)";
    return QString("b%1").arg(bit);
}

QString indexText(const FlippableTensor& t, int64_t index) {
    QStringList parts;
    for (int64_t i : unflattenIndex(index, t.shape)) parts << QString::number(i);
    return QString("%1  [%2]").arg(index).arg(parts.join(", "));
}

QString markedWord(const std::string& word, int bits, int bit) {
    QString out;
    const int column = bits - 1 - bit;
    for (int c = 0; c < static_cast<int>(word.size()); ++c)
        out += c == column ? QString("[%1]").arg(QChar(word[c])) : QString(QChar(word[c]));
    return out;
}

QString bitToolTip(const FlippableTensor& t, const BitRef& ref, const std::optional<BitState>& s,
                   const BitColouring* colouring) {
    QString html = QString("<b>%1</b> · %2<table cellspacing=0 cellpadding=1>")
                       .arg(QString::fromStdString(t.layerPath).toHtmlEscaped(), QString::fromStdString(t.tensor).toHtmlEscaped());
    auto row = [&](const QString& k, const QString& v) { html += QString("<tr><td>%1&nbsp;</td><td>%2</td></tr>").arg(k, v); };
    row("index", indexText(t, ref.index));
    row("bit", bitName(t, ref.bit) + QString(" of %1").arg(t.bits));
    if (s) {
        row("weight", QString("%1 &nbsp;(code %2, %3)").arg(formatValue(s->value)).arg(s->code).arg(markedWord(s->word, s->bits, ref.bit)));
        row("if flipped", QString("%1 &nbsp;(code %2)").arg(formatValue(s->flippedValue)).arg(s->flippedCode));
    }
    if (colouring)
        row(QString::fromStdString(colouring->name()).toHtmlEscaped(), formatValue(colouring->value(ref)));
    html += "</table>";
    return html;
}

}  // namespace flipscope::ui
