#include "ui/session/campaign_output_file.h"

#include "core/common/file_hash.h"
#include "core/io/dataset.h"

#include <QDir>
#include <QFileInfo>
#include <QStandardPaths>

namespace flipscope::ui {

namespace {

QString planWord(const CampaignPlan& plan) {
    switch (plan.kind) {
        case PlanKind::Exhaustive: return "exhaustive";
        case PlanKind::Sample: return "sample";
        case PlanKind::Stratified: return "stratified";
        case PlanKind::Ranked: return "ranked";
        case PlanKind::Ber: return "ber";
    }
    return "campaign";
}

}  // namespace

QString defaultResultsPath(const QString& modelPath, const QString& metric, const CampaignPlan& plan) {
    const QFileInfo model(modelPath);
    const QString name = QString("%1-%2-%3.h5").arg(model.completeBaseName(), metric, planWord(plan));
    const QFileInfo folder(model.absolutePath());
    if (!modelPath.isEmpty() && folder.isDir() && folder.isWritable()) return QDir(folder.absoluteFilePath()).filePath(name);
    QString documents = QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation);
    if (documents.isEmpty()) documents = QDir::homePath();
    return QDir(documents).filePath(name);
}

ExistingResults inspectExistingResults(const CampaignSetup& setup, const Model& model) {
    ExistingResults out;
    out.exists = QFileInfo::exists(QString::fromStdString(setup.outPath));
    if (!out.exists) return out;
    CampaignInfo existing;
    try {
        existing = readCampaignInfo(setup.outPath);
        out.rows = readCampaignResults(setup.outPath).faults.size();
    } catch (const std::exception& e) {
        out.reason = QString::fromStdString(e.what());
        return out;
    }
    out.status = QString::fromStdString(existing.status);
    out.total = existing.totalFaults;
    if (existing.status == "complete") {
        out.reason = "it holds a complete campaign";
        return out;
    }
    try {
        CampaignInfo requested;
        requested.modelFingerprint = fileFingerprint(setup.modelPath);
        requested.dataFingerprint = fileFingerprint(DatasetSpec::parse(setup.dataSpec).path);
        if (!setup.labelsSpec.empty())
            requested.labelsFingerprint = fileFingerprint(DatasetSpec::parse(setup.labelsSpec).path);
        requested.metric = setup.metric;
        requested.plan = setup.plan;
        requested.samples = existing.samples;  // known only once the data is loaded: the job checks it
        requested.bitSpace = bitSpaceJson(BitSpace(model, setup.filter));
        checkResumable(existing, requested, setup.outPath);
        out.resumable = true;
    } catch (const std::exception& e) {
        out.reason = QString::fromStdString(e.what());
    }
    return out;
}

}  // namespace flipscope::ui
