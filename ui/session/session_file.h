#pragma once
// A session file (.flipscope, JSON): what a lecture or an analysis had open, so it reopens as it
// was: the model (and its architecture JSON), the dataset with its labels, normalization and sample
// limit, the campaign results files in the plots' comparison (and the one shown), rankings (CSV
// files, saved in a "<session name>-rankings" folder beside the session), the plot settings and
// the figure or grid on view. Paths are stored relative to the session file when they are below
// its folder or beside it, else absolute; reading returns absolute paths.
#include "core/faults/bit_space.h"
#include "core/io/dataset.h"

#include <QJsonObject>
#include <QString>
#include <QStringList>

#include <optional>
#include <vector>

namespace flipscope::ui {

inline constexpr int kSessionFormatVersion = 1;

struct SessionRanking {
    QString method;
    QString csvPath;
    // The bits it ranks (its rows name bits of that selection); absent in sessions written before
    // it was stored, which then read it over the Campaign dock's selection.
    std::optional<BitSpaceFilter> bits;
};

struct Session {
    QString modelPath, configPath;
    QString datasetSpec, labelsPath;  // datasetSpec may name an HDF5 dataset: "file.h5:/images"
    Normalization normalization = Normalization::None;
    qint64 sampleLimit = 5000;
    QStringList resultsPaths;
    QString currentResults;
    std::vector<SessionRanking> rankings;
    QJsonObject plotSettings;
    QString view = "grid";  // "grid" | "plots"
};

// Throws flipscope::Error naming the file when it cannot be written.
void writeSessionFile(const Session& session, const QString& path);
// Throws InputError naming the file and the field for anything that is not a session.
Session readSessionFile(const QString& path);

// The folder beside a session that holds its rankings: "<dir>/<session name>-rankings".
QString sessionRankingsDir(const QString& sessionPath);

}  // namespace flipscope::ui
