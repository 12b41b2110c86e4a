#include "ui/session/dataset_spec_text.h"

#include <QFileInfo>

namespace flipscope::ui {

DatasetSpecText DatasetSpecText::split(const QString& spec, const QDir& base) {
    auto isFile = [&](const QString& path) { return !path.isEmpty() && QFileInfo(base.filePath(path)).isFile(); };
    if (isFile(spec)) return {spec, {}};
    for (qsizetype colon = spec.indexOf(':'); colon >= 0; colon = spec.indexOf(':', colon + 1))
        if (isFile(spec.left(colon))) return {spec.left(colon), spec.mid(colon)};
    const qsizetype split = spec.indexOf(":/");
    return split < 0 ? DatasetSpecText{spec, {}} : DatasetSpecText{spec.left(split), spec.mid(split)};
}

}  // namespace flipscope::ui
