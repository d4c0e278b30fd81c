# Checks that README.md shows apps/embedding_example.cpp verbatim, so the
# example a reader copies is the one the build compiles.
file(READ "${SOURCE_DIR}/README.md" readme)
file(READ "${SOURCE_DIR}/apps/embedding_example.cpp" example)
string(FIND "${readme}" "${example}" position)
if(position EQUAL -1)
  message(FATAL_ERROR "README.md does not contain apps/embedding_example.cpp "
                      "verbatim; paste the file into the README's example.")
endif()
