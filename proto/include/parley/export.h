/* How libparley's public headers mark what they declare.
 *
 * PL_API marks a function of the library's interface. libparley is built
 * with hidden visibility by default, so the shared library exports exactly
 * the functions marked here and nothing of its internals (issue 13 §3;
 * tests/tools/test_abi.sh checks the exported set against these headers).
 * PL_NODISCARD asks the compiler to warn when a caller ignores a result
 * it must check. Both expand to nothing on a compiler that lacks them, so
 * the headers stay plain C11 for any compiler and for binding generators. */
#ifndef PARLEY_EXPORT_H
#define PARLEY_EXPORT_H

#if defined(__GNUC__) || defined(__clang__)
#define PL_API __attribute__((visibility("default")))
#define PL_NODISCARD __attribute__((warn_unused_result))
#else
#define PL_API
#define PL_NODISCARD
#endif

#endif
