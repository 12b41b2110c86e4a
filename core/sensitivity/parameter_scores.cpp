#include "core/sensitivity/parameter_scores.h"

#include "core/common/error.h"

#include <cmath>

namespace flipscope {

namespace {

// One score per element of each tensor, from a function of the element's index.
template <typename Fn>
ParameterScores perElement(const std::vector<const Tensor*>& shapes, Fn score) {
    ParameterScores scores(shapes.size());
    for (size_t t = 0; t < shapes.size(); ++t) {
        scores[t].resize(static_cast<size_t>(shapes[t]->size()));
        for (int64_t i = 0; i < shapes[t]->size(); ++i) scores[t][i] = score(t, i);
    }
    return scores;
}

}  // namespace

ParameterScores gradientScores(const std::vector<const Tensor*>& gradients) {
    return perElement(gradients, [&](size_t t, int64_t i) { return std::fabs(double((*gradients[t])[i])); });
}

ParameterScores taylorScores(const std::vector<const Tensor*>& gradients, const std::vector<const Tensor*>& values) {
    return perElement(gradients, [&](size_t t, int64_t i) {
        const double gw = double((*gradients[t])[i]) * double((*values[t])[i]);
        return gw * gw;
    });
}

ParameterScores hessianSumScores(const EigenResult& eigen, const std::vector<int64_t>& offsets,
                                 const std::vector<const Tensor*>& weights) {
    // c_i = u_i . theta for every eigenpair first, then the scores in one pass.
    std::vector<double> projection(eigen.eigenvalues.size(), 0.0);
    for (size_t e = 0; e < eigen.eigenvalues.size(); ++e)
        for (size_t t = 0; t < weights.size(); ++t)
            for (int64_t i = 0; i < weights[t]->size(); ++i)
                projection[e] += eigen.eigenvalues[e] * eigen.eigenvectors[e].at(offsets[t] + i) * (*weights[t])[i];
    return perElement(weights, [&](size_t t, int64_t i) {
        double score = 0.0;
        for (size_t e = 0; e < eigen.eigenvalues.size(); ++e)
            score += std::fabs(projection[e] * eigen.eigenvalues[e] * eigen.eigenvectors[e][offsets[t] + i]);
        return score;
    });
}

std::vector<double> bitTaylorScores(const BitSpace& space, const std::vector<const LayerParameter*>& parameters,
                                    const std::vector<const Tensor*>& gradients, const std::vector<double>& diagonal) {
    const auto& tensors = space.tensors();
    if (parameters.size() != tensors.size() || gradients.size() != tensors.size())
        throw InputError("bit-taylor scores: the parameters do not match the bit space");
    std::vector<double> scores(static_cast<size_t>(space.size()));
    int64_t flat = 0;  // position of the parameter in `diagonal`
    for (size_t t = 0; t < tensors.size(); ++t) {
        const BitSpaceTensor& bt = tensors[t];
        const LayerParameter& p = *parameters[t];
        for (int64_t i = 0; i < bt.params; ++i, ++flat) {
            const float value = p.effective[i];
            const double g = (*gradients[t])[i];
            const double h = diagonal.at(flat);
            for (size_t s = 0; s < bt.bits.size(); ++s) {
                const double d = double(p.codec.flippedValue(value, i, bt.bits[s])) - value;
                scores[bt.offset + i * static_cast<int64_t>(bt.bits.size()) + s] = std::fabs(g * d + 0.5 * h * d * d);
            }
        }
    }
    return scores;
}

}  // namespace flipscope
