#include "ui/panels/plots_panel.h"

#include "core/common/error.h"
#include "ui/plots/export_dialogs.h"

#include <QCheckBox>
#include <QElapsedTimer>
#include <QHBoxLayout>
#include <QMenu>
#include <QMessageBox>
#include <QTabWidget>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>
#include <qcustomplot.h>

#include <algorithm>
#include <array>

namespace flipscope::ui {

namespace {

constexpr int kFigureCount = 5;
// At most four redraws a second: live enough to watch, cheap enough beside a running campaign.
constexpr int kRedrawIntervalMs = 250;

int indexOf(FigureKind kind) { return static_cast<int>(kind); }

struct CampaignEntry {
    QString path;
    FigureCampaign campaign;
};

}  // namespace

struct PlotsPanel::Impl {
    std::vector<CampaignEntry> campaigns;
    int current = -1;
    std::vector<BitRanking> rankings;
    FigureStyle style = FigureStyle::screen();
    bool normalizedAxes = true;
    bool logCounts = false;

    QTabWidget* tabs = nullptr;
    QCheckBox* normalizedBox = nullptr;
    QCheckBox* logCountsBox = nullptr;
    QCheckBox* paperBox = nullptr;
    std::array<QCustomPlot*, kFigureCount> plots{};
    std::array<FigureTable, kFigureCount> tables;
    std::array<bool, kFigureCount> dirty{};
    QTimer timer;
    QElapsedTimer sinceRedraw;
    int redraws = 0;
};

PlotsPanel::PlotsPanel(QWidget* parent) : QWidget(parent), impl_(std::make_unique<Impl>()) {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);

    auto* options = new QHBoxLayout;
    impl_->normalizedBox = new QCheckBox(tr("Normalized axes"), this);
    impl_->normalizedBox->setToolTip(tr("Rankings: fractions of bits (k/N) and of bits to protect found. "
                                        "Distribution: fractions of the evaluated bits."));
    impl_->normalizedBox->setChecked(impl_->normalizedAxes);
    impl_->logCountsBox = new QCheckBox(tr("Log counts"), this);
    impl_->logCountsBox->setToolTip(tr("Histogram: logarithmic count axis"));
    impl_->paperBox = new QCheckBox(tr("Publication preset"), this);
    impl_->paperBox->setToolTip(tr("Paper-sized figure (8.8 x 6.6 cm, 8 pt text, thin lines), as exported"));
    auto* exportButton = new QToolButton(this);
    exportButton->setText(tr("Export"));
    exportButton->setPopupMode(QToolButton::InstantPopup);
    auto* exportMenu = new QMenu(exportButton);
    exportButton->setMenu(exportMenu);
    for (ExportFormat format : {ExportFormat::Pdf, ExportFormat::Svg, ExportFormat::Png, ExportFormat::Csv})
        exportMenu->addAction(format == ExportFormat::Csv ? tr("Export data as CSV…")
                                                          : tr("Export as %1…").arg(exportFormatSuffix(format).toUpper()),
                              this, [this, format] { exportInteractively(currentFigure(), format); });
    options->addWidget(impl_->normalizedBox);
    options->addWidget(impl_->logCountsBox);
    options->addWidget(impl_->paperBox);
    options->addStretch();
    options->addWidget(exportButton);
    layout->addLayout(options);

    impl_->tabs = new QTabWidget(this);
    for (int i = 0; i < kFigureCount; ++i) {
        const auto kind = static_cast<FigureKind>(i);
        auto* plot = new QCustomPlot(impl_->tabs);
        plot->setObjectName(figureKindNames()[i]);
        plot->setContextMenuPolicy(Qt::CustomContextMenu);
        connect(plot, &QWidget::customContextMenuRequested, this, [this, plot, kind](const QPoint& at) {
            QMenu menu(plot);
            for (ExportFormat format : {ExportFormat::Pdf, ExportFormat::Svg, ExportFormat::Png})
                menu.addAction(tr("Export as %1…").arg(exportFormatSuffix(format).toUpper()), this,
                               [this, kind, format] { exportInteractively(kind, format); });
            menu.addSeparator();
            menu.addAction(tr("Export data as CSV…"), this, [this, kind] { exportInteractively(kind, ExportFormat::Csv); });
            menu.exec(plot->mapToGlobal(at));
        });
        impl_->plots[i] = plot;
        impl_->dirty[i] = true;
        impl_->tabs->addTab(plot, figureTitle(kind));
    }
    layout->addWidget(impl_->tabs, 1);

    impl_->timer.setSingleShot(true);
    connect(&impl_->timer, &QTimer::timeout, this, [this] { redrawVisible(); });
    connect(impl_->tabs, &QTabWidget::currentChanged, this, [this](int index) {
        if (index >= 0 && impl_->dirty[index]) redrawFigure(static_cast<FigureKind>(index));
    });
    connect(impl_->normalizedBox, &QCheckBox::toggled, this, &PlotsPanel::setNormalizedAxes);
    connect(impl_->logCountsBox, &QCheckBox::toggled, this, &PlotsPanel::setLogCounts);
    connect(impl_->paperBox, &QCheckBox::toggled, this,
            [this](bool on) { setStyle(on ? FigureStyle::paper() : FigureStyle::screen()); });
    impl_->sinceRedraw.start();
    scheduleRedraw();
}

PlotsPanel::~PlotsPanel() = default;

// --- the comparison ---

int PlotsPanel::setCampaign(const QString& resultsPath, const CampaignResults& results, const QString& label) {
    auto& campaigns = impl_->campaigns;
    auto it = std::find_if(campaigns.begin(), campaigns.end(), [&](const CampaignEntry& e) {
        return !resultsPath.isEmpty() && e.path == resultsPath;
    });
    if (it == campaigns.end()) it = campaigns.insert(campaigns.end(), CampaignEntry{resultsPath, {}});
    it->campaign = FigureCampaign{label, results};
    impl_->current = static_cast<int>(it - campaigns.begin());
    scheduleRedraw();
    return impl_->current;
}

void PlotsPanel::appendResults(int index, const std::vector<FaultResult>& rows) {
    if (index < 0 || index >= static_cast<int>(impl_->campaigns.size()) || rows.empty()) return;
    auto& faults = impl_->campaigns[index].campaign.results.faults;
    faults.insert(faults.end(), rows.begin(), rows.end());
    scheduleRedraw();
}

void PlotsPanel::removeCampaign(int index) {
    if (index < 0 || index >= static_cast<int>(impl_->campaigns.size())) return;
    impl_->campaigns.erase(impl_->campaigns.begin() + index);
    if (impl_->current >= index) impl_->current--;
    if (impl_->current < 0 && !impl_->campaigns.empty()) impl_->current = 0;
    scheduleRedraw();
}

void PlotsPanel::clearCampaigns() {
    impl_->campaigns.clear();
    impl_->current = -1;
    scheduleRedraw();
}

QStringList PlotsPanel::campaignPaths() const {
    QStringList paths;
    for (const CampaignEntry& e : impl_->campaigns) paths << e.path;
    return paths;
}

void PlotsPanel::setCurrentCampaign(int index) {
    if (index < 0 || index >= static_cast<int>(impl_->campaigns.size()) || index == impl_->current) return;
    impl_->current = index;
    scheduleRedraw();
}

int PlotsPanel::currentCampaign() const { return impl_->current; }

void PlotsPanel::setRanking(const BitRanking& ranking) {
    auto& rankings = impl_->rankings;
    auto it = std::find_if(rankings.begin(), rankings.end(),
                           [&](const BitRanking& r) { return r.method == ranking.method; });
    if (it == rankings.end()) rankings.push_back(ranking);
    else *it = ranking;
    scheduleRedraw();
}

void PlotsPanel::clearRankings() {
    impl_->rankings.clear();
    scheduleRedraw();
}

const std::vector<BitRanking>& PlotsPanel::rankings() const { return impl_->rankings; }

// --- view ---

void PlotsPanel::showFigure(FigureKind kind) { impl_->tabs->setCurrentIndex(indexOf(kind)); }

FigureKind PlotsPanel::currentFigure() const { return static_cast<FigureKind>(std::max(0, impl_->tabs->currentIndex())); }

QCustomPlot* PlotsPanel::plot(FigureKind kind) const { return impl_->plots[indexOf(kind)]; }

FigureInputs PlotsPanel::inputs() const {
    FigureInputs in;
    for (const CampaignEntry& e : impl_->campaigns) in.campaigns.push_back(e.campaign);
    in.rankings = impl_->rankings;
    in.normalizedAxes = impl_->normalizedAxes;
    in.logCounts = impl_->logCounts;
    return in;
}

FigureTable PlotsPanel::table(FigureKind kind) const { return impl_->tables[indexOf(kind)]; }

void PlotsPanel::setStyle(const FigureStyle& style) {
    impl_->style = style;
    const QSignalBlocker block(impl_->paperBox);
    impl_->paperBox->setChecked(style.preset == "paper");
    scheduleRedraw();
}

const FigureStyle& PlotsPanel::style() const { return impl_->style; }

void PlotsPanel::setNormalizedAxes(bool on) {
    impl_->normalizedAxes = on;
    const QSignalBlocker block(impl_->normalizedBox);
    impl_->normalizedBox->setChecked(on);
    scheduleRedraw();
}

void PlotsPanel::setLogCounts(bool on) {
    impl_->logCounts = on;
    const QSignalBlocker block(impl_->logCountsBox);
    impl_->logCountsBox->setChecked(on);
    scheduleRedraw();
}

QJsonObject PlotsPanel::settings() const {
    return {{"normalizedAxes", impl_->normalizedAxes},
            {"logCounts", impl_->logCounts},
            {"preset", impl_->style.preset},
            {"figure", figureKindNames()[indexOf(currentFigure())]}};
}

void PlotsPanel::applySettings(const QJsonObject& settings) {
    setNormalizedAxes(settings.value("normalizedAxes").toBool(impl_->normalizedAxes));
    setLogCounts(settings.value("logCounts").toBool(impl_->logCounts));
    if (auto style = FigureStyle::byName(settings.value("preset").toString())) setStyle(*style);
    if (auto kind = figureKindFromName(settings.value("figure").toString())) showFigure(*kind);
}

// --- drawing ---

void PlotsPanel::scheduleRedraw() {
    impl_->dirty.fill(true);
    if (impl_->timer.isActive()) return;
    const int wait = kRedrawIntervalMs - static_cast<int>(impl_->sinceRedraw.elapsed());
    impl_->timer.start(std::max(0, wait));
}

void PlotsPanel::redrawVisible() {
    redrawFigure(currentFigure());
    impl_->redraws++;
    impl_->sinceRedraw.restart();
    emit redrawn();
}

void PlotsPanel::redrawNow() {
    impl_->timer.stop();
    for (int i = 0; i < kFigureCount; ++i)
        if (impl_->dirty[i]) redrawFigure(static_cast<FigureKind>(i));
    impl_->redraws++;
    impl_->sinceRedraw.restart();
    emit redrawn();
}

int PlotsPanel::redrawCount() const { return impl_->redraws; }

void PlotsPanel::redrawFigure(FigureKind kind) {
    const int i = indexOf(kind);
    impl_->dirty[i] = false;
    QCustomPlot& plot = *impl_->plots[i];
    if (impl_->campaigns.empty()) {
        impl_->tables[i] = {};
        drawFigureMessage(plot, tr("Run a campaign or open a results file"), impl_->style);
        return;
    }
    FigureInputs in = inputs();
    // Only the comparison figure shows every campaign; the others show the current one.
    if (kind != FigureKind::BitsToProtect && impl_->current >= 0)
        in.campaigns = {impl_->campaigns[impl_->current].campaign};
    try {
        impl_->tables[i] = buildFigure(plot, kind, in, impl_->style);
    } catch (const std::exception& e) {
        // Not an error of the panel: this figure does not apply to these results (yet).
        impl_->tables[i] = {};
        drawFigureMessage(plot, QString::fromUtf8(e.what()), impl_->style);
    }
}

// --- export ---

void PlotsPanel::exportFigure(FigureKind kind, const QString& path, int dpi) const {
    if (impl_->dirty[indexOf(kind)]) const_cast<PlotsPanel*>(this)->redrawFigure(kind);
    QCustomPlot& plot = *impl_->plots[indexOf(kind)];
    ui::exportFigure(plot, path, impl_->style, dpi);
    plot.replot();  // export laid the plot out at the figure's size; back to the widget's
}

void PlotsPanel::exportCsv(FigureKind kind, const QString& path) const {
    if (impl_->dirty[indexOf(kind)]) const_cast<PlotsPanel*>(this)->redrawFigure(kind);
    if (impl_->tables[indexOf(kind)].columns.isEmpty())
        throw InputError(figureKindNames()[indexOf(kind)].toStdString() + " figure: there is no data to export yet");
    writeFigureCsv(impl_->tables[indexOf(kind)], path);
}

void PlotsPanel::exportInteractively(FigureKind kind, ExportFormat format) {
    const QString path = askExportPath(this, format, figureKindNames()[indexOf(kind)]);
    if (path.isEmpty()) return;
    try {
        if (format == ExportFormat::Csv) {
            exportCsv(kind, path);
        } else {
            int dpi = 300;
            if (format == ExportFormat::Png) {
                const auto chosen = askPngDpi(this, dpi);
                if (!chosen) return;
                dpi = *chosen;
            }
            exportFigure(kind, path, dpi);
        }
        emit logMessage(tr("Exported %1").arg(path));
    } catch (const std::exception& e) {
        const QString message = QString::fromUtf8(e.what());
        emit errorReported(message);
        QMessageBox::warning(this, tr("Export failed"), message);
    }
}

void PlotsPanel::exportCurrent(ExportFormat format) { exportInteractively(currentFigure(), format); }

}  // namespace flipscope::ui
