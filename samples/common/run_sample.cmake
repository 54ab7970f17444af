# Included by the sample test scripts: run_sample(<csv> <args>...) runs ${SAMPLE} with --seed 0 --csv <csv>
# and <args>, echoes its output, and fails the test on any exit status but 0 and 3. Exit status 3 (the
# digits data set is missing) prints "SKIPPED: ..." (the tests' skip pattern) and ends the calling script:
# a macro, so its return() returns from the script.
macro(run_sample csv)
  file(REMOVE "${csv}")
  execute_process(COMMAND "${SAMPLE}" ${ARGN} --seed 0 --csv "${csv}"
                  RESULT_VARIABLE run_sample_result OUTPUT_VARIABLE run_sample_output ERROR_VARIABLE run_sample_errors)
  message("${run_sample_output}${run_sample_errors}")
  if(run_sample_result EQUAL 3)
    message("SKIPPED: the digits data set is missing (see the message above; tools/setup.sh fetches it)")
    return()
  endif()
  if(NOT run_sample_result EQUAL 0)
    string(REPLACE ";" " " run_sample_args "${ARGN}")
    message(FATAL_ERROR "${SAMPLE} ${run_sample_args} exited with ${run_sample_result}")
  endif()
endmacro()
