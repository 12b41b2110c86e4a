// flipscope-cli quantize --quantizer SPEC --values v1,v2,...
#include "app/cli/commands.h"
#include "app/cli/args.h"
#include "core/common/error.h"
#include "core/quant/bit_codec.h"
#include "core/quant/quantizer_parse.h"

#include <cstdio>
#include <iostream>

namespace flipscope::cli {

static const char* kHelp =
    "Usage: flipscope-cli quantize --quantizer SPEC --values v1,v2,...\n\n"
    "Applies a QKeras quantizer (string form, e.g. \"quantized_bits(6,0,alpha=1)\") to the values,\n"
    "as one tensor, and prints CSV: input,output,code,bits (code = integer code, bits = MSB-first;\n"
    "both empty for quantizers without fixed-point codes such as quantized_po2).\n";

int runQuantize(const CommandArgs& argv) {
    Args args(argv, {"quantizer", "values"}, {});
    if (args.helpRequested()) {
        std::cout << kHelp;
        return 0;
    }
    const QuantizerSpec spec = parseQuantizerString(args.required("quantizer"), {"", "--quantizer"});
    std::vector<float> inputs;
    for (const std::string& text : splitList(args.required("values"))) {
        try {
            size_t used = 0;
            inputs.push_back(std::stof(text, &used));
            if (used != text.size()) throw std::invalid_argument(text);
        } catch (const std::exception&) {
            throw UsageError("--values: '" + text + "' is not a number");
        }
    }
    std::vector<float> outputs = inputs;
    std::vector<float> scales;
    quantize(spec, outputs, {static_cast<int64_t>(outputs.size())}, &scales);
    std::optional<BitCodec> codec;
    if (spec.isFixedPoint()) codec.emplace(spec, scales);
    std::printf("input,output,code,bits\n");
    for (size_t i = 0; i < inputs.size(); ++i) {
        std::printf("%.9g,%.9g,", inputs[i], outputs[i]);
        if (codec) {
            // A clipped STE artefact (reference 1.2) can leave the grid; it has no code then.
            try {
                const int64_t code = codec->codeOf(outputs[i], static_cast<int64_t>(i));
                std::printf("%lld,%s", static_cast<long long>(code), codec->bitString(code).c_str());
            } catch (const Error&) {
                std::printf(",");
            }
        } else {
            std::printf(",");
        }
        std::printf("\n");
    }
    return 0;
}

}  // namespace flipscope::cli
