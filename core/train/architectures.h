#pragma once
// Keras model configs of the architectures Flipscope ships as samples, written as Keras would
// write them (so the files we save look like the ones users have):
//   econt-small, econt-medium, econt-large: the ECON-T autoencoders of the FKeras study
//   (shared reference "econt-and-metrics.md" 1.4-1.5), a Functional autoencoder with nested
//   `encoder` (QKeras) and `decoder` (float) models.
//   fmnist-cnn: a small quantized Fashion-MNIST classifier (6-bit QConv2D x2 + QDense, softmax).
#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace flipscope {

nlohmann::json architectureConfig(const std::string& name);  // {"class_name", "config"}
const std::vector<std::string>& architectureNames();

}  // namespace flipscope
