# The bad-input corpus (docs/corpus.md): every hostile or broken file in
# tests/data/corpus/, plus the large ones generated at run time, through the
# real binary's dry run.
prospect_e2e_test(corpus SOURCES ${CMAKE_CURRENT_LIST_DIR}/corpus_test.cpp)
