#pragma once
// How the UI names a dataset: a file path, optionally followed by ":" and the path of a dataset
// inside the file ("x.h5:/images"). Split the way core's DatasetSpec::parse reads it (paths and
// dataset names may both hold colons): the whole text when it is an existing file, else at the first
// colon whose left side is an existing file, else at the first ":/" (so that a missing file is
// still named as the user meant it).
#include <QDir>
#include <QString>

namespace flipscope::ui {

struct DatasetSpecText {
    QString file;     // the file part
    QString dataset;  // "" or the rest from its colon on (":/images")

    // Relative file parts are looked up in `base` (default: the working directory).
    static DatasetSpecText split(const QString& spec, const QDir& base = QDir());
    // The same spec with its file part replaced (made relative or absolute, say).
    QString withFile(const QString& newFile) const { return newFile + dataset; }
};

}  // namespace flipscope::ui
