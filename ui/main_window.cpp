#include "ui/main_window.h"

#include "core/io/dataset.h"
#include "ui/bitgrid/bit_grid_widget.h"
#include "ui/main/recent_files.h"
#include "ui/main/results_presenter.h"
#include "ui/main/session_io.h"
#include "ui/session/dataset_spec_text.h"
#include "ui/widgets/save_file_dialog.h"
#include "ui/panels/bit_selection_editor.h"
#include "ui/panels/campaign_panel.h"
#include "ui/panels/grid_panel.h"
#include "ui/panels/inspector_panel.h"
#include "ui/panels/log_panel.h"
#include "ui/panels/model_tree.h"
#include "ui/panels/plots_panel.h"
#include "ui/panels/rankings_panel.h"
#include "ui/session/campaign_runner.h"
#include "ui/session/workbench.h"
#include "ui/widgets/empty_state.h"

#include <QActionGroup>
#include <QApplication>
#include <QCheckBox>
#include <QCloseEvent>
#include <QComboBox>
#include <QDockWidget>
#include <QDragEnterEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QPushButton>
#include <QScrollArea>
#include <QSettings>
#include <QStackedWidget>
#include <QStatusBar>
#include <QTabWidget>

namespace flipscope::ui {

namespace {

const char* kModelFilter = "Keras / QKeras models (*.h5 *.hdf5 *.keras);;All files (*)";
const char* kDatasetFilter = "Datasets (*.npy *.csv *.h5 *.hdf5 *.gz *-ubyte *.idx*);;All files (*)";
const char* kResultsFilter = "Campaign results (*.h5 *.hdf5);;All files (*)";
const char* kSessionFilter = "Flipscope sessions (*.flipscope);;All files (*)";

QScrollArea* scrolled(QWidget* content, QWidget* parent) {
    auto* scroll = new QScrollArea(parent);
    scroll->setWidget(content);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    return scroll;
}

QString humanCount(int64_t n) { return QLocale().toString(static_cast<qlonglong>(n)); }

}  // namespace

MainWindow::MainWindow(QWidget* parent) : QMainWindow(parent) {
    setObjectName("MainWindow");
    setAcceptDrops(true);
    setDockNestingEnabled(true);
    workbench_ = new Workbench(this);

    centre_ = new QStackedWidget(this);
    empty_ = new EmptyState(centre_);
    tabs_ = new QTabWidget(centre_);
    tabs_->setObjectName("CentreTabs");
    tabs_->setDocumentMode(true);
    gridPanel_ = new GridPanel(tabs_);
    plots_ = new PlotsPanel(tabs_);
    tabs_->addTab(gridPanel_, "Bit grid");
    tabs_->addTab(plots_, "Plots");
    centre_->addWidget(empty_);
    centre_->addWidget(tabs_);
    setCentralWidget(centre_);
    presenter_ = new ResultsPresenter(workbench_, plots_, gridPanel_, this);

    createDocks();
    createMenus();
    status_ = new QLabel(this);
    statusBar()->addWidget(status_, 1);
    connectParts();
    connectCampaign();
    restoreSettings();
    updateTitleAndStatus();
}

MainWindow::~MainWindow() {
    // Workers first: they report to the panels and the presenter.
    campaign_->runner()->blockSignals(true);
    rankings_->runner()->blockSignals(true);
    stopBackgroundWork();
}

void MainWindow::createDocks() {
    tree_ = new ModelTree(this);
    treeDock_ = new QDockWidget("Model", this);
    treeDock_->setObjectName("ModelDock");
    treeDock_->setWidget(tree_);
    addDockWidget(Qt::LeftDockWidgetArea, treeDock_);

    inspector_ = new InspectorPanel(workbench_, this);
    inspectorDock_ = new QDockWidget("Inspector", this);
    inspectorDock_->setObjectName("InspectorDock");
    inspectorDock_->setWidget(scrolled(inspector_, this));
    addDockWidget(Qt::RightDockWidgetArea, inspectorDock_);

    campaign_ = new CampaignPanel(workbench_, this);
    campaignDock_ = new QDockWidget("Campaign", this);
    campaignDock_->setObjectName("CampaignDock");
    campaignDock_->setWidget(scrolled(campaign_, this));
    addDockWidget(Qt::RightDockWidgetArea, campaignDock_);
    tabifyDockWidget(inspectorDock_, campaignDock_);

    rankings_ = new RankingsPanel(workbench_, this);
    rankingsDock_ = new QDockWidget("Rankings", this);
    rankingsDock_->setObjectName("RankingsDock");
    rankingsDock_->setWidget(rankings_);
    addDockWidget(Qt::RightDockWidgetArea, rankingsDock_);
    tabifyDockWidget(campaignDock_, rankingsDock_);
    inspectorDock_->raise();

    log_ = new LogPanel(this);
    logDock_ = new QDockWidget("Log", this);
    logDock_->setObjectName("LogDock");
    logDock_->setWidget(log_);
    addDockWidget(Qt::BottomDockWidgetArea, logDock_);

    resizeDocks({treeDock_, inspectorDock_}, {430, 400}, Qt::Horizontal);
    resizeDocks({logDock_}, {110}, Qt::Vertical);
}

QList<QDockWidget*> MainWindow::docks() const { return {treeDock_, inspectorDock_, campaignDock_, rankingsDock_, logDock_}; }

void MainWindow::createMenus() {
    QMenu* file = menuBar()->addMenu("&File");
    QAction* openModelAction = file->addAction("&Open model…", this, &MainWindow::chooseModel);
    openModelAction->setShortcut(QKeySequence::Open);
    QMenu* recentModels = file->addMenu("Recent &models");
    file->addSeparator();
    file->addAction("Open &dataset…", QKeySequence("Ctrl+D"), this, &MainWindow::chooseDataset);
    QMenu* recentData = file->addMenu("Recent data&sets");
    file->addAction("Open &labels…", this, &MainWindow::chooseLabels)
        ->setStatusTip("Class labels for the samples (the metric becomes accuracy)");
    QMenu* normalize = file->addMenu("Dataset &normalization");
    auto* group = new QActionGroup(this);
    const std::pair<QString, Normalization> modes[] = {{"None", Normalization::None},
                                                       {"Divide by 255 (8-bit images)", Normalization::Scale255},
                                                       {"Per sample: divide by its sum", Normalization::PerSampleSum},
                                                       {"Per sample: divide by its maximum", Normalization::PerSampleMax}};
    const int saved = QSettings().value("dataset/normalization", 0).toInt();
    for (int i = 0; i < 4; ++i) {
        QAction* a = normalize->addAction(modes[i].first);
        a->setCheckable(true);
        a->setChecked(i == saved);
        group->addAction(a);
        const Normalization n = modes[i].second;
        if (i == saved) workbench_->setNormalization(n);
        connect(a, &QAction::triggered, this, [this, n, i] {
            workbench_->setNormalization(n);
            QSettings().setValue("dataset/normalization", i);
            if (workbench_->hasDataset()) openDataset(workbench_->datasetPath());
        });
    }
    file->addSeparator();
    file->addAction("Open s&ession…", this, &MainWindow::chooseSession);
    file->addAction("&Save session", QKeySequence::Save, this, [this] {
        if (sessionPath_.isEmpty()) saveSessionAs();
        else saveSession(sessionPath_);
    });
    file->addAction("Save session &as…", QKeySequence::SaveAs, this, &MainWindow::saveSessionAs);
    file->addSeparator();
    file->addAction("&Quit", QKeySequence::Quit, qApp, &QApplication::closeAllWindows);
    recentModels_ = new RecentFiles("recent/models", recentModels, this);
    recentDatasets_ = new RecentFiles("recent/datasets", recentData, this);
    connect(recentModels_, &RecentFiles::chosen, this, [this](const QString& p) { openModel(p); });
    connect(recentDatasets_, &RecentFiles::chosen, this, [this](const QString& p) { openDataset(p); });

    QMenu* campaign = menuBar()->addMenu("&Campaign");
    campaign->addAction("&Start campaign", this, [this] {
        campaignDock_->raise();
        campaign_->start();
    });
    campaign->addAction("Open &results…", QKeySequence("Ctrl+Shift+O"), this, &MainWindow::chooseResults)
        ->setStatusTip("Show a finished or stopped campaign in the plots and the bit grid");
    campaign->addSeparator();
    campaign->addAction("Show &bit grid", QKeySequence("Ctrl+G"), this, &MainWindow::showGrid);
    campaign->addAction("Show &plots", QKeySequence("Ctrl+P"), this, &MainWindow::showPlots);

    QMenu* bits = menuBar()->addMenu("&Bits");
    bits->addAction("&Flip selected bit", QKeySequence("F"), this, [this] {
        if (const auto b = gridPanel_->grid()->selectedBit()) flipBit(*b);
    });
    bits->addAction("&Reset all flips", QKeySequence("Ctrl+R"), this, &MainWindow::resetFlips);

    QMenu* view = menuBar()->addMenu("&View");
    BitGridWidget* grid = gridPanel_->grid();
    view->addAction("Zoom &in", QKeySequence::ZoomIn, grid, &BitGridWidget::zoomIn);
    view->addAction("Zoom &out", QKeySequence::ZoomOut, grid, &BitGridWidget::zoomOut);
    view->addAction("&Fit all tensors", QKeySequence("Ctrl+0"), grid, &BitGridWidget::zoomToFit);
    view->addAction("&Readable cells", QKeySequence("Ctrl+1"), grid, &BitGridWidget::zoomToCells);
    view->addSeparator();
    for (QDockWidget* d : docks()) view->addAction(d->toggleViewAction());

    QMenu* help = menuBar()->addMenu("&Help");
    help->addAction("&About Flipscope", this, [this] {
        QMessageBox::about(this, "About Flipscope",
                           "<b>Flipscope</b> " + QApplication::applicationVersion() +
                               "<br>How sensitive is a quantized neural network to bit flips in its weights?");
    });
}

void MainWindow::connectParts() {
    BitGridWidget* grid = gridPanel_->grid();
    connect(workbench_, &Workbench::modelChanged, this, &MainWindow::showModel);
    connect(workbench_, &Workbench::flipsChanged, this, [this, grid] {
        grid->setFlipped(workbench_->flips());
        gridPanel_->refreshColours();
        updateTitleAndStatus();
    });
    connect(workbench_, &Workbench::datasetChanged, this, &MainWindow::updateTitleAndStatus);
    connect(workbench_, &Workbench::logMessage, log_, &LogPanel::append);
    connect(workbench_, &Workbench::evaluationStarted, this, [this] { log_->setBusy(true, "Running the samples…"); });
    connect(workbench_, &Workbench::evaluationFinished, this, [this] {
        log_->setBusy(workbench_->evaluating(), "Running the samples…");
        if (const auto* c = workbench_->comparison()) {
            const auto info = outcomeMetricInfo(c->after.metric);
            log_->append(QString("%1: %2 without flips, %3 with %4 flipped bit(s)")
                             .arg(QString::fromStdString(info.name))
                             .arg(c->before.value, 0, 'g', 6)
                             .arg(c->after.value, 0, 'g', 6)
                             .arg(workbench_->flips().size()));
        }
    });
    connect(workbench_, &Workbench::evaluationFailed, this, [this] { log_->setBusy(false); });

    connect(grid, &BitGridWidget::bitSelected, this, [this](const BitRef& ref) {
        inspector_->setSelectedBit(ref);
        const auto& t = workbench_->tensors()[ref.tensor];
        tree_->selectTensor(QString::fromStdString(t.layerPath), QString::fromStdString(t.tensor));
    });
    connect(grid, &BitGridWidget::bitActivated, this, [this](const BitRef& ref) { flipBit(ref); });
    connect(inspector_, &InspectorPanel::flipRequested, this, &MainWindow::flipBit);
    connect(inspector_, &InspectorPanel::resetRequested, this, &MainWindow::resetFlips);
    connect(inspector_, &InspectorPanel::bitChosen, grid, [grid](const BitRef& ref) { grid->selectBit(ref); });
    connect(tree_, &ModelTree::tensorChosen, this, &MainWindow::scrollToLayer);
    connect(gridPanel_, &GridPanel::colouringChanged, this, [this](const QString& name) {
        inspector_->setColouringName(name);
        QSettings().setValue("grid/colouring", name);
    });
    connect(gridPanel_->logBox(), &QCheckBox::toggled, this, [](bool on) { QSettings().setValue("grid/log", on); });
    connect(empty_, &EmptyState::openModelRequested, this, &MainWindow::chooseModel);
}

void MainWindow::restoreSettings() {
    QSettings s;
    if (!restoreGeometry(s.value("window/geometry").toByteArray())) resize(1400, 900);
    restoreState(s.value("window/state").toByteArray());
    gridPanel_->logBox()->setChecked(s.value("grid/log", false).toBool());
}

bool MainWindow::backgroundWorkRunning() const { return campaign_->runner()->running() || rankings_->runner()->running(); }

void MainWindow::stopBackgroundWork() {
    campaign_->runner()->stopAndWait();
    rankings_->runner()->stopAndWait();
}

void MainWindow::closeEvent(QCloseEvent* event) {
    if (backgroundWorkRunning()) {
        if (interactiveErrors_) {
            QMessageBox box(QMessageBox::Question, "Flipscope",
                            campaign_->runner()->running() ? "A campaign is running." : "Rankings are being computed.",
                            QMessageBox::NoButton, this);
            box.setInformativeText("Stop it and close? A campaign's results so far are kept in its file and it can be resumed.");
            QPushButton* stop = box.addButton("Stop and close", QMessageBox::DestructiveRole);
            box.addButton(QMessageBox::Cancel);
            box.setDefaultButton(QMessageBox::Cancel);
            box.exec();
            if (box.clickedButton() != stop) {
                event->ignore();
                return;
            }
        }
        stopBackgroundWork();
    }
    QSettings s;
    s.setValue("window/geometry", saveGeometry());
    s.setValue("window/state", saveState());
    QMainWindow::closeEvent(event);
}

void MainWindow::reportError(const QString& title, const QString& message) {
    lastError_ = message;
    log_->append(title + ": " + message);
    emit errorReported(message);
    if (!interactiveErrors_) return;
    auto* box = new QMessageBox(QMessageBox::Warning, title, message, QMessageBox::Ok, this);
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->open();  // non-blocking
}

void MainWindow::setEmptyStateDetail(const QString& detail) { empty_->setDetail(detail); }

bool MainWindow::openModel(const QString& path, const QString& configPath) {
    QString error;
    if (!workbench_->openModel(path, configPath, &error)) {
        reportError("Cannot open model", QString("%1\n\n%2").arg(QFileInfo(path).fileName(), error));
        return false;
    }
    recentModels_->add(path);
    rememberDir(path);
    return true;
}

bool MainWindow::openDataset(const QString& path) {
    QString error;
    if (!workbench_->openDataset(path, &error)) {
        reportError("Cannot open dataset", QString("%1\n\n%2").arg(datasetDisplayName(path), error));
        return false;
    }
    recentDatasets_->add(path);
    rememberDir(path);
    return true;
}

bool MainWindow::openLabels(const QString& path) {
    QString error;
    if (!workbench_->openLabels(path, &error)) {
        reportError("Cannot open labels", QString("%1\n\n%2").arg(QFileInfo(path).fileName(), error));
        return false;
    }
    rememberDir(path);
    return true;
}

bool MainWindow::openAnyFile(const QString& path) {
    DatasetFormat format = DatasetFormat::Hdf5;
    try {
        format = detectDatasetFormat(path.toStdString());
    } catch (const std::exception&) {
    }
    if (format == DatasetFormat::Npy || format == DatasetFormat::Idx || (format == DatasetFormat::Csv && workbench_->hasModel()))
        return openDataset(path);
    if (format == DatasetFormat::Hdf5 && workbench_->hasModel()) {
        // An HDF5 file is a model or a dataset: try the model first, quietly.
        QString error;
        if (workbench_->openModel(path, {}, &error)) {
            recentModels_->add(path);
            return true;
        }
        return openDataset(path);
    }
    return openModel(path);
}

bool MainWindow::flipBit(const BitRef& bit) {
    if (!workbench_->toggleFlip(bit)) return false;
    inspector_->setSelectedBit(bit);
    return true;
}

void MainWindow::resetFlips() { workbench_->resetFlips(); }

void MainWindow::showModel() {
    const BitAccess* bits = workbench_->bits();
    BitGridWidget* grid = gridPanel_->grid();
    // Nothing may colour the new tensors from the old model's colourings (they are gone).
    gridPanel_->setColourings({});
    tree_->showModel(workbench_->summary());
    grid->setTensors(workbench_->tensors());
    presenter_->modelChanged();
    rankings_->modelChanged();
    grid->setDescriber([wb = workbench_](const BitRef& r) -> std::optional<BitState> {
        const BitAccess* b = wb->bits();
        if (!b || !b->contains(r)) return std::nullopt;
        return b->state(r);
    });
    grid->setWeightReader([wb = workbench_](int t, int64_t i) -> std::optional<float> {
        const BitAccess* b = wb->bits();
        if (!b || t >= static_cast<int>(b->tensors().size())) return std::nullopt;
        return b->weight(t, i);
    }, bits ? bits->maxAbsWeight() : 1.0);
    updateGridColourings();
    gridPanel_->selectColouring(QSettings().value("grid/colouring").toString());
    inspector_->setColouringName(gridPanel_->colouringBox()->currentText());
    centre_->setCurrentWidget(tabs_);
    if (workbench_->tensors().empty())
        log_->append("This model has no fixed-point quantized weights: there are no bits to flip.");
    updateTitleAndStatus();
}

void MainWindow::updateTitleAndStatus() {
    if (!workbench_->hasModel()) {
        setWindowTitle("Flipscope");
        status_->setText("No model open");
        return;
    }
    const QString name = QFileInfo(workbench_->modelPath()).fileName();
    const size_t flips = workbench_->flips().size();
    setWindowTitle(QString("%1%2 — Flipscope").arg(name, flips ? QString(" [%1 flipped]").arg(flips) : QString()));
    const auto& s = workbench_->summary();
    QString text = QString("%1 (%2)  ·  %3 quantized parameters  ·  %4 bits")
                       .arg(name, QString::fromStdString(s.name), humanCount(s.totalParams), humanCount(s.totalBits));
    if (s.floatParams) text += QString("  ·  %1 float parameters").arg(humanCount(s.floatParams));
    text += QString("  ·  %1 flipped").arg(flips);
    if (workbench_->hasDataset())
        text += QString("  ·  data: %1 (%2 samples)").arg(datasetDisplayName(workbench_->datasetPath())).arg(workbench_->inputs()->dim(0));
    status_->setText(text);
}

void MainWindow::scrollToLayer(const QString& layerPath, const QString& tensor) {
    const auto& tensors = workbench_->tensors();
    for (size_t i = 0; i < tensors.size(); ++i) {
        const QString path = QString::fromStdString(tensors[i].layerPath);
        const bool sameLayer = path == layerPath || path.startsWith(layerPath + "/");
        if (sameLayer && (tensor.isEmpty() || QString::fromStdString(tensors[i].tensor) == tensor)) {
            gridPanel_->grid()->scrollToTensor(static_cast<int>(i));
            return;
        }
    }
}

QString MainWindow::lastDir() const { return QSettings().value("files/lastDir").toString(); }
void MainWindow::rememberDir(const QString& file) {
    QSettings().setValue("files/lastDir", QFileInfo(DatasetSpecText::split(file).file).absolutePath());  // x.h5's folder
}

void MainWindow::chooseModel() {
    const QString path = QFileDialog::getOpenFileName(this, "Open model", lastDir(), kModelFilter);
    if (!path.isEmpty()) openModel(path);
}

void MainWindow::chooseDataset() {
    const QString path = QFileDialog::getOpenFileName(this, "Open dataset", lastDir(), kDatasetFilter);
    if (!path.isEmpty()) openDataset(path);
}

void MainWindow::chooseResults() {
    const QString path = QFileDialog::getOpenFileName(this, "Open campaign results", lastDir(), kResultsFilter);
    if (!path.isEmpty()) openResults(path);
}

void MainWindow::chooseLabels() {
    const QString path = QFileDialog::getOpenFileName(this, "Open labels", lastDir(), kDatasetFilter);
    if (!path.isEmpty()) openLabels(path);
}

void MainWindow::dragEnterEvent(QDragEnterEvent* event) {
    if (event->mimeData()->hasUrls()) event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent* event) {
    // Models first, so a model and its dataset dropped together open in the right order.
    QStringList models, others;
    for (const QUrl& url : event->mimeData()->urls()) {
        if (!url.isLocalFile()) continue;
        const QString path = url.toLocalFile();
        const QString suffix = QFileInfo(path).suffix().toLower();
        (suffix == "h5" || suffix == "hdf5" || suffix == "keras" ? models : others) << path;
    }
    for (const QString& p : models) openAnyFile(p);
    for (const QString& p : others) openAnyFile(p);
    event->acceptProposedAction();
}

// The plots compare rankings with the oracle of the results on view: orders in its bit space.
void MainWindow::showRankingsInPlots() {
    plots_->clearRankings();
    for (const BitRanking& r : rankings_->rankingsForResults()) plots_->setRanking(r);
}

void MainWindow::connectCampaign() {
    CampaignRunner* runner = campaign_->runner();
    connect(runner, &CampaignRunner::prepared, this, [this, runner](const CampaignInfo& info, const std::vector<FaultResult>& earlier) {
        presenter_->campaignPrepared(QString::fromStdString(runner->setup().outPath), info, earlier);
    });
    connect(runner, &CampaignRunner::resultsArrived, presenter_, &ResultsPresenter::resultsArrived);
    for (auto ended : {&CampaignRunner::finished, &CampaignRunner::cancelled})
        connect(runner, ended, presenter_, &ResultsPresenter::campaignEnded);
    connect(presenter_, &ResultsPresenter::currentChanged, this, [this] {
        rankings_->setOracleResults(presenter_->current());
        showRankingsInPlots();
    });
    connect(presenter_, &ResultsPresenter::logMessage, log_, &LogPanel::append);
    connect(campaign_, &CampaignPanel::openResultsRequested, this, &MainWindow::chooseResults);
    connect(campaign_, &CampaignPanel::errorReported, this, &MainWindow::reportError);
    connect(campaign_, &CampaignPanel::logMessage, log_, &LogPanel::append);

    rankings_->setFilterSource([this] { return campaign_->bitSelection()->filter(); });
    connect(rankings_, &RankingsPanel::rankingsChanged, this, [this](const std::vector<ComputedRanking>& rankings) {
        campaign_->setRankings(rankings);
        showRankingsInPlots();
        rebuildRankColourings();
        updateGridColourings();
    });
    connect(rankings_, &RankingsPanel::colourGridRequested, this, &MainWindow::colourByRanking);
    connect(rankings_, &RankingsPanel::errorReported, this, &MainWindow::reportError);
    connect(rankings_, &RankingsPanel::logMessage, log_, &LogPanel::append);
    // The plots show their own message box for a failed export: only log it here.
    connect(plots_, &PlotsPanel::errorReported, this, [this](const QString& message) {
        lastError_ = message;
        log_->append("Plots: " + message);
    });
    connect(plots_, &PlotsPanel::logMessage, log_, &LogPanel::append);
}

void MainWindow::rebuildRankColourings() {
    // The grid may point at the old ones: it gets the new list right after this.
    gridPanel_->grid()->setColouring(nullptr);
    rankColourings_.clear();
    for (const ComputedRanking& r : rankings_->rankings())
        rankColourings_.push_back(std::make_unique<RankColouring>(
            r.ranking.method, r.ranking.order, BitSpaceMapping(r.space, workbench_->tensors()), workbench_->tensors()));
}

void MainWindow::updateGridColourings() {
    std::vector<const BitColouring*> colourings;
    for (const auto& c : workbench_->colourings()) colourings.push_back(c.get());
    if (presenter_->damage()) colourings.push_back(presenter_->damage());
    for (const auto& c : rankColourings_) colourings.push_back(c.get());
    gridPanel_->setColourings(colourings);
}

void MainWindow::colourByRanking(const QString& method) {
    for (const auto& c : rankColourings_)
        if (c->name() == "Ranking: " + method.toStdString()) gridPanel_->selectColouring(QString::fromStdString(c->name()));
    showGrid();
}

bool MainWindow::openResults(const QString& path) {
    if (refuseWhileCampaignRuns("Cannot open results")) return false;
    QString error;
    if (!presenter_->openResults(path, &error)) {
        reportError("Cannot open results", error);
        return false;
    }
    rememberDir(path);
    showPlots();
    return true;
}

bool MainWindow::openSession(const QString& path) {
    if (refuseWhileCampaignRuns("Cannot open session")) return false;
    QStringList problems;
    try {
        problems = flipscope::ui::openSession(*this, path);
    } catch (const std::exception& e) {
        reportError("Cannot open session", QString::fromStdString(e.what()));
        return false;
    }
    sessionPath_ = path;
    rememberDir(path);
    log_->append("Opened session " + QFileInfo(path).fileName());
    if (!problems.isEmpty())
        reportError("Session opened in part", QString("%1: some files could not be opened:\n%2").arg(QFileInfo(path).fileName(), problems.join("\n")));
    return problems.isEmpty();
}

// The running campaign's rows go to the results on view: switching them mid-run would mix two
// campaigns, so other results wait until it ends.
bool MainWindow::refuseWhileCampaignRuns(const QString& title) {
    if (!campaign_->runner()->running()) return false;
    reportError(title, "A campaign is running: let it finish or cancel it first (its results are kept).");
    return true;
}

bool MainWindow::saveSession(const QString& path) {
    try {
        flipscope::ui::saveSession(*this, path);
    } catch (const std::exception& e) {
        reportError("Cannot save session", QString::fromStdString(e.what()));
        return false;
    }
    sessionPath_ = path;
    rememberDir(path);
    log_->append("Saved session " + path);
    return true;
}

void MainWindow::chooseSession() {
    const QString path = QFileDialog::getOpenFileName(this, "Open session", lastDir(), kSessionFilter);
    if (!path.isEmpty()) openSession(path);
}

void MainWindow::saveSessionAs() {
    QString suggested = sessionPath_;
    if (suggested.isEmpty() && workbench_->hasModel())
        suggested = QFileInfo(workbench_->modelPath()).absoluteDir().filePath(QFileInfo(workbench_->modelPath()).completeBaseName() + ".flipscope");
    const QString path = askSaveFilePath(this, "Save session", suggested, kSessionFilter, "flipscope");
    if (!path.isEmpty()) saveSession(path);
}

void MainWindow::showGrid() { tabs_->setCurrentWidget(gridPanel_); }
void MainWindow::showPlots() { tabs_->setCurrentWidget(plots_); }

}  // namespace flipscope::ui
