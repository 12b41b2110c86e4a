#pragma once
// EXPECT_THROW_WITH(Type, statement, "part", ...): `statement` must throw `Type` (or a subclass)
// whose message contains every listed part. For error-message tests: a user-facing error has to
// name the file, layer or field it is about.
#include <QtTest>

#include <string>
#include <vector>

#define EXPECT_THROW_WITH(Type, statement, ...)                                                    \
    do {                                                                                           \
        bool thrown_ = false;                                                                      \
        try {                                                                                      \
            statement;                                                                             \
        } catch (const Type& e_) {                                                                 \
            thrown_ = true;                                                                        \
            const std::string what_ = e_.what();                                                  \
            for (const std::string& part_ : std::vector<std::string>{__VA_ARGS__})                 \
                QVERIFY2(what_.find(part_) != std::string::npos,                                   \
                         qPrintable(QString("message '%1' lacks '%2'")                             \
                                        .arg(QString::fromStdString(what_),                        \
                                             QString::fromStdString(part_))));                     \
        }                                                                                          \
        QVERIFY2(thrown_, "expected " #Type " from: " #statement);                                 \
    } while (0)
