#include "ui/plots/figure_campaign.h"

#include "core/common/error.h"
#include "core/model/kernel_signature.h"

#include <QFileInfo>

namespace flipscope::ui::figure {

QString kernelSignature(const CampaignResults& results) {
    // The study's signature counts kernels only; a campaign over biases alone falls back to all.
    KernelSignature kernels, all;
    for (const auto& t : results.info.bitSpace) {
        const int64_t params = t.value("params", int64_t{0});
        const int width = t.value("bit_width", 0);
        if (t.value("tensor", "") == "kernel") kernels.add(params, width);
        all.add(params, width);
    }
    return QString::fromStdString((kernels.groups().empty() ? all : kernels).toString());
}

QString campaignLabel(const FigureCampaign& campaign) {
    if (!campaign.label.isEmpty()) return campaign.label;
    const QString model = QFileInfo(QString::fromStdString(campaign.results.info.modelPath)).completeBaseName();
    return (model.isEmpty() ? QStringLiteral("model") : model) + " " + kernelSignature(campaign.results);
}

QString metricName(const CampaignInfo& info) {
    const QString metric = QString::fromStdString(info.metric);
    if (metric == "emd") return "EMD";
    if (metric == "mse") return "MSE";
    if (metric == "telescope") return "telescope loss";
    if (metric == "ce") return "cross-entropy";
    return metric.isEmpty() ? QStringLiteral("metric") : metric;
}

QString shortTensorName(const std::string& layerPath, const std::string& tensor) {
    const QString path = QString::fromStdString(layerPath);
    const QString layer = path.section('/', -1);
    return tensor == "kernel" ? layer : layer + " " + QString::fromStdString(tensor);
}

const FigureCampaign& requireCampaign(const FigureInputs& inputs, FigureKind kind) {
    if (inputs.campaigns.empty())
        throw InputError("the " + figureKindNames()[static_cast<int>(kind)].toStdString() +
                         " figure needs a campaign's results: run a campaign or open a results file");
    return inputs.campaigns.front();
}

}  // namespace flipscope::ui::figure
