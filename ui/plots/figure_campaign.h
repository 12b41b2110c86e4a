#pragma once
// What the figures say about a campaign in words: its label (model file name and kernel
// signature), the metric's name for axis titles, a tensor's short name for tick labels, and the
// check that a figure has a campaign to draw from.
#include "ui/plots/figure.h"

namespace flipscope::ui::figure {

// "[(2120, 6)]": (weights, bits) of the campaign's kernel tensors, from the results' bit space.
QString kernelSignature(const CampaignResults& results);
// The campaign's label, or "<model file base name> <kernel signature>" when it has none.
QString campaignLabel(const FigureCampaign& campaign);
// "EMD", "MSE", "telescope loss", ... for axis titles.
QString metricName(const CampaignInfo& info);
// "en_dense_0" for "encoder/en_dense_0 kernel"; other tensors keep their name: "en_dense_0 bias".
QString shortTensorName(const std::string& layerPath, const std::string& tensor);

// The campaign the single-campaign figures draw (the first of the inputs). InputError naming the
// figure when there is none.
const FigureCampaign& requireCampaign(const FigureInputs& inputs, FigureKind kind);

}  // namespace flipscope::ui::figure
