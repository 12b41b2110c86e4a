#include "ui/session/session_file.h"

#include "core/common/error.h"
#include "ui/session/dataset_spec_text.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSaveFile>

namespace flipscope::ui {

namespace {

const std::pair<Normalization, const char*> kNormalizations[] = {{Normalization::None, "none"},
                                                                 {Normalization::Scale255, "divide-255"},
                                                                 {Normalization::PerSampleSum, "per-sample-sum"},
                                                                 {Normalization::PerSampleMax, "per-sample-max"}};

// "x.h5:/images" keeps its dataset part; only the file path is made relative or absolute (a
// relative one is looked up in `dir`, the session's folder).
QString mapPath(const QString& spec, const QDir& dir, const std::function<QString(const QString&)>& map) {
    if (spec.isEmpty()) return spec;
    const DatasetSpecText parts = DatasetSpecText::split(spec, dir);
    return parts.withFile(map(parts.file));
}

QString relativeTo(const QDir& dir, const QString& path) {
    const QString relative = dir.relativeFilePath(QFileInfo(path).absoluteFilePath());
    // Below the session's folder or one level up (a project folder): relative; else absolute.
    return relative.startsWith("../../") ? QFileInfo(path).absoluteFilePath() : relative;
}

QString absoluteIn(const QDir& dir, const QString& path) { return QDir::cleanPath(dir.absoluteFilePath(path)); }

// A ranking's bit selection: {"layers": [...], "tensors": [...], "positions": [...]} (empty lists
// as in BitSpaceFilter: every layer, every quantized tensor, every bit).
QJsonObject bitsToJson(const BitSpaceFilter& filter) {
    QJsonArray layers, tensors, positions;
    for (const std::string& layer : filter.layers) layers.append(QString::fromStdString(layer));
    for (const std::string& tensor : filter.tensors) tensors.append(QString::fromStdString(tensor));
    for (const int position : filter.bitPositions) positions.append(position);
    return QJsonObject{{"layers", layers}, {"tensors", tensors}, {"positions", positions}};
}

BitSpaceFilter bitsFromJson(const QJsonObject& json, const std::string& where) {
    auto strings = [&](const char* key) {
        const QJsonValue value = json[key];
        if (!value.isArray()) throw InputError(where + "." + key + ": expected a list of names");
        std::vector<std::string> names;
        for (const QJsonValue& name : value.toArray()) {
            if (!name.isString()) throw InputError(where + "." + key + ": expected a list of names");
            names.push_back(name.toString().toStdString());
        }
        return names;
    };
    BitSpaceFilter filter;
    filter.layers = strings("layers");
    const std::vector<std::string> tensors = strings("tensors");
    filter.tensors = std::set<std::string>(tensors.begin(), tensors.end());
    if (!json["positions"].isArray()) throw InputError(where + ".positions: expected a list of bit positions");
    for (const QJsonValue& position : json["positions"].toArray()) {
        if (!position.isDouble() || position.toDouble() != position.toInt() || position.toInt() < 0)
            throw InputError(where + ".positions: expected bit positions (integers from 0, the LSB)");
        filter.bitPositions.insert(position.toInt());
    }
    return filter;
}

}  // namespace

QString sessionRankingsDir(const QString& sessionPath) {
    const QFileInfo info(sessionPath);
    return info.absoluteDir().filePath(info.completeBaseName() + "-rankings");
}

void writeSessionFile(const Session& s, const QString& path) {
    const QDir dir = QFileInfo(path).absoluteDir();
    auto rel = [&](const QString& p) { return mapPath(p, dir, [&](const QString& f) { return relativeTo(dir, f); }); };
    QJsonObject json;
    json["format"] = "flipscope-session";
    json["version"] = kSessionFormatVersion;
    json["model"] = QJsonObject{{"path", rel(s.modelPath)}, {"config", rel(s.configPath)}};
    QString normalization = "none";
    for (const auto& [n, name] : kNormalizations)
        if (n == s.normalization) normalization = name;
    json["dataset"] = QJsonObject{{"path", rel(s.datasetSpec)}, {"labels", rel(s.labelsPath)},
                                  {"normalization", normalization}, {"sample_limit", s.sampleLimit}};
    QJsonArray results;
    for (const QString& r : s.resultsPaths) results.append(rel(r));
    json["results"] = results;
    json["current_results"] = rel(s.currentResults);
    QJsonArray rankings;
    for (const SessionRanking& r : s.rankings) {
        QJsonObject ranking{{"method", r.method}, {"csv", rel(r.csvPath)}};
        if (r.bits) ranking["bits"] = bitsToJson(*r.bits);
        rankings.append(ranking);
    }
    json["rankings"] = rankings;
    json["plots"] = s.plotSettings;
    json["view"] = s.view;

    QSaveFile file(path);  // written whole or not at all
    if (!file.open(QIODevice::WriteOnly) || file.write(QJsonDocument(json).toJson()) < 0 || !file.commit())
        throw Error(path.toStdString() + ": cannot be written (" + file.errorString().toStdString() + ")");
}

Session readSessionFile(const QString& path) {
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) throw InputError(path.toStdString() + ": cannot be read");
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(file.readAll(), &parseError);
    const std::string name = path.toStdString();
    if (doc.isNull()) throw InputError(name + ": not JSON (" + parseError.errorString().toStdString() + ")");
    const QJsonObject json = doc.object();
    if (json["format"].toString() != "flipscope-session") throw InputError(name + ": not a Flipscope session (format)");
    if (json["version"].toInt() > kSessionFormatVersion)
        throw InputError(name + ": session version " + std::to_string(json["version"].toInt()) +
                         " is newer than this Flipscope reads (" + std::to_string(kSessionFormatVersion) + ")");
    const QDir dir = QFileInfo(path).absoluteDir();
    auto abs = [&](const QString& p) { return mapPath(p, dir, [&](const QString& f) { return absoluteIn(dir, f); }); };

    Session s;
    const QJsonObject model = json["model"].toObject();
    s.modelPath = abs(model["path"].toString());
    if (s.modelPath.isEmpty()) throw InputError(name + ": no model (model.path)");
    s.configPath = abs(model["config"].toString());
    const QJsonObject data = json["dataset"].toObject();
    s.datasetSpec = abs(data["path"].toString());
    s.labelsPath = abs(data["labels"].toString());
    const QString normalization = data["normalization"].toString("none");
    bool known = false;
    for (const auto& [n, label] : kNormalizations)
        if (normalization == label) s.normalization = n, known = true;
    if (!known) throw InputError(name + ": unknown dataset.normalization '" + normalization.toStdString() + "'");
    s.sampleLimit = data["sample_limit"].toInteger(5000);
    for (const auto& r : json["results"].toArray()) s.resultsPaths << abs(r.toString());
    s.currentResults = abs(json["current_results"].toString());
    for (const auto& r : json["rankings"].toArray()) {
        const QJsonObject o = r.toObject();
        SessionRanking ranking{o["method"].toString(), abs(o["csv"].toString()), std::nullopt};
        if (o.contains("bits"))
            ranking.bits = bitsFromJson(o["bits"].toObject(),
                                        name + ": rankings[" + std::to_string(s.rankings.size()) + "].bits");
        s.rankings.push_back(ranking);
    }
    s.plotSettings = json["plots"].toObject();
    s.view = json["view"].toString("grid");
    return s;
}

}  // namespace flipscope::ui
