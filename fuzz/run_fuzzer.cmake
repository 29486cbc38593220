# run_fuzzer.cmake - one bounded libFuzzer run, for CTest (see CMakeLists.txt).
#
#   cmake -DFUZZER=bin -DSEEDS=dir -DWORK=dir -DARTIFACTS=dir -DSECONDS=n
#         [-DDICT=file] -P run_fuzzer.cmake
#
# Copies the committed seeds into WORK (adding to what earlier runs found
# there), fuzzes for SECONDS, and fails if the fuzzer found a crash, leak,
# timeout or failed check; the reproducer is then in ARTIFACTS.
foreach(var FUZZER SEEDS WORK ARTIFACTS SECONDS)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "run_fuzzer.cmake: -D${var}=... missing")
  endif()
endforeach()

file(MAKE_DIRECTORY ${WORK} ${ARTIFACTS})
file(COPY ${SEEDS}/ DESTINATION ${WORK})

set(args -max_total_time=${SECONDS} -timeout=10 -print_final_stats=1
  -artifact_prefix=${ARTIFACTS}/)
if(DEFINED DICT AND EXISTS ${DICT})
  list(APPEND args -dict=${DICT})
endif()

execute_process(COMMAND ${FUZZER} ${args} ${WORK} RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "${FUZZER} failed (${rc}); reproducer in ${ARTIFACTS}")
endif()
