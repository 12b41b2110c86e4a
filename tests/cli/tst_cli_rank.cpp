// End to end through the flipscope-cli binary: rank (every method), gradient, hessian (--trace),
// a small exhaustive campaign, compare against its oracle, and a ranked campaign from a ranking,
// on the bundled ECON-T Small model's encoded_vector kernel (2048 bits) with 32 samples.
#include "common/cli_process.h"
#include "common/test_paths.h"

#include <QtTest>

#include <set>

using namespace flipscope;

namespace {

QString sample(const char* relative) {
    return QString::fromStdString((test::sourceDir() / "sample_models" / relative).string());
}

QStringList csvLines(const QString& path) {
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) return {};
    return QString::fromUtf8(file.readAll()).split('\n', Qt::SkipEmptyParts);
}

const int kBits = 256 * 8;  // encoded_vector kernel: 16 x 16 weights, 8 bits

}  // namespace

class TestCliRank : public QObject {
    Q_OBJECT
private:
    QTemporaryDir dir_;
    QString model_, data_;
    QStringList common_;  // data and bit space; rank and hessian also take --quiet
    QString path(const QString& name) const { return dir_.filePath(name); }

private slots:
    void initTestCase() {
        model_ = sample("econt-small.h5");
        data_ = sample("data/econt-heldout.h5") + ":/images";
        common_ = {"--data", data_, "--samples", "32", "--layers", "encoded_vector"};
    }

    void everyMethodRanksEveryBitOnce() {
        for (const QString method : {"random", "msb", "gradient", "taylor", "bit-taylor", "hessian"}) {
            const QString out = path(method + ".csv");
            const test::CliRun run = test::runCli(QStringList{"rank", model_, "--method", method, "--top-k", "2", "--out", out, "--quiet"} + common_);
            QVERIFY2(run.code == 0, qPrintable(method + ": " + run.err));
            QVERIFY2(run.err.contains("done: 2048 bits ranked by " + method), qPrintable(run.err));
            const QStringList lines = csvLines(out);
            QCOMPARE(lines.size(), kBits + 1);
            QCOMPARE(lines[0], QString("rank,layer,tensor,index,bit,score"));
            std::set<QString> bits;
            double previous = std::numeric_limits<double>::infinity();
            for (int i = 1; i < lines.size(); ++i) {
                const QStringList f = lines[i].split(',');
                QCOMPARE(f.size(), 6);
                QCOMPARE(f[0].toInt(), i);
                QCOMPARE(f[1], QString("encoder/encoded_vector"));
                QVERIFY(f[3].toInt() >= 0 && f[3].toInt() < 256 && f[4].toInt() >= 0 && f[4].toInt() < 8);
                bits.insert(f[3] + "/" + f[4]);
                if (method == "bit-taylor") {  // ranks bits by their own score
                    QVERIFY(f[5].toDouble() <= previous);
                    previous = f[5].toDouble();
                }
            }
            QCOMPARE(int(bits.size()), kBits);  // a permutation of the bit space
            if (method == "msb" || method == "gradient")  // parameter rankings: all MSBs (bit 7) first
                QVERIFY(lines[256].endsWith(QString(",7,") + lines[256].section(',', 5)) && lines[257].contains(",6,"));
        }
    }

    void gradientAndHessianFiles() {
        const test::CliRun grads = test::runCli(QStringList{"gradient", model_, "--out", path("grads.csv")} + common_);
        QVERIFY2(grads.code == 0, qPrintable(grads.err));
        const QStringList g = csvLines(path("grads.csv"));
        QCOMPARE(g.size(), 257);
        QCOMPARE(g[0], QString("layer,tensor,index,value,gradient"));
        QVERIFY(g[1].startsWith("encoder/encoded_vector,kernel,0,"));

        const test::CliRun hessian = test::runCli(QStringList{"hessian", model_, "--top-k", "2", "--max-iterations", "30", "--trace",
                                            "--trace-samples", "12", "--out", path("eig.csv"), "--quiet"} + common_);
        QVERIFY2(hessian.code == 0, qPrintable(hessian.err));
        const QStringList e = csvLines(path("eig.csv"));
        QCOMPARE(e.size(), 3);
        QCOMPARE(e[0], QString("k,eigenvalue"));
        QVERIFY(std::fabs(e[1].section(',', 1).toDouble()) >= std::fabs(e[2].section(',', 1).toDouble()) * 0.9);
        const QStringList t = csvLines(path("eig-trace.csv"));
        QCOMPARE(t.size(), 2);  // one faulted layer
        QCOMPARE(t[0], QString("layer,trace,stderr,samples"));
        QVERIFY(t[1].startsWith("encoder/encoded_vector,"));
        QVERIFY(hessian.out.contains("encoder/encoded_vector"));
    }

    void compareAgainstACampaignOracle() {
        const QString results = path("results.h5");
        const test::CliRun campaign = test::runCli({"campaign", model_, "--data", data_, "--limit", "32", "--layers", "encoded_vector",
                                  "--metric", "emd", "--plan", "exhaustive", "--out", results, "--quiet"});
        QVERIFY2(campaign.code == 0, qPrintable(campaign.err));
        const test::CliRun compare = test::runCli({"compare", "--results", results, "--rankings", path("random.csv"), path("msb.csv"),
                                 path("gradient.csv"), "--out", path("curves.csv")});
        QVERIFY2(compare.code == 0, qPrintable(compare.err));
        const QStringList curves = csvLines(path("curves.csv"));
        QCOMPARE(curves[0], QString("ranking,k,found,damage"));
        QCOMPARE(curves.size(), 1 + 4 * (kBits + 1));  // oracle + 3 rankings, k = 0..N
        QVERIFY(curves[1].startsWith("oracle,0,0,"));
        // Every curve ends at the oracle's totals.
        const QString oracleEnd = curves[kBits + 1].section(',', 2);
        for (int c = 1; c <= 3; ++c) QCOMPARE(curves[(c + 1) * (kBits + 1)].section(',', 2), oracleEnd);
        QVERIFY2(compare.out.contains(QRegularExpression("oracle\\s+1\\.0000\\s+1\\.0000")), qPrintable(compare.out));
        for (const char* name : {"random", "msb", "gradient"}) QVERIFY(compare.out.contains(name));

        // Top 10%: another oracle, still perfect against itself.
        const test::CliRun top = test::runCli({"compare", "--results", results, "--rankings", path("gradient.csv"), "--top-percent", "10",
                             "--out", path("top.csv")});
        QVERIFY2(top.code == 0 && top.out.contains("top 10%"), qPrintable(top.out + top.err));

        // A ranking for another bit space is refused, naming the file and line.
        const test::CliRun wrong = test::runCli({"compare", "--results", results, "--rankings", path("grads.csv"), "--out", path("x.csv")});
        QCOMPARE(wrong.code, 1);
        QVERIFY2(wrong.err.contains("grads.csv:1"), qPrintable(wrong.err));
    }

    void rankedCampaignFollowsARanking() {
        const QString results = path("ranked.h5"), csv = path("ranked.csv");
        const test::CliRun run = test::runCli({"campaign", model_, "--data", data_, "--limit", "32", "--layers", "encoded_vector",
                             "--metric", "emd", "--plan", "ranked:5", "--ranking", path("gradient.csv"), "--out",
                             results, "--csv", csv, "--quiet"});
        QVERIFY2(run.code == 0, qPrintable(run.err));
        const QStringList rows = csvLines(csv);
        const QStringList ranking = csvLines(path("gradient.csv"));
        QCOMPARE(rows.size(), 6);  // header + the first 5 ranked bits, in ranking order
        for (int i = 1; i <= 5; ++i)  // layer,tensor,index,bit agree
            QCOMPARE(rows[i].section(',', 0, 3), ranking[i].section(',', 1, 4));
        const test::CliRun mismatch = test::runCli({"campaign", model_, "--data", data_, "--metric", "emd", "--plan", "exhaustive",
                                  "--ranking", path("gradient.csv"), "--out", path("no.h5")});
        QCOMPARE(mismatch.code, 2);
    }

    void threadCountDoesNotChangeTheRanking() {
        for (const char* threads : {"1", "2"}) {
            const test::CliRun run = test::runCli(QStringList{"rank", model_, "--method", "bit-taylor", "--threads", threads, "--out",
                                            path(QString("threads%1.csv").arg(threads)), "--quiet"} + common_);
            QVERIFY2(run.code == 0, qPrintable(run.err));
        }
        QCOMPARE(csvLines(path("threads1.csv")), csvLines(path("threads2.csv")));
    }

    void badInputIsOneClearLine() {
        const test::CliRun method = test::runCli(QStringList{"rank", model_, "--method", "bogus", "--out", path("b.csv")} + common_);
        QCOMPARE(method.code, 1);
        QVERIFY2(method.err.contains("bogus") && method.err.contains("gradient"), qPrintable(method.err));
        const test::CliRun noData = test::runCli({"rank", model_, "--method", "gradient", "--out", path("b.csv")});
        QCOMPARE(noData.code, 1);
        QVERIFY2(noData.err.contains("--data"), qPrintable(noData.err));
    }
};

QTEST_GUILESS_MAIN(TestCliRank)
#include "tst_cli_rank.moc"
