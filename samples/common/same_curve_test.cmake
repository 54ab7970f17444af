# cmake -DSAMPLE=<exe> -DCOMPARE=<compare_curves> -DEPOCHS=<n> -DDEVICES=<a;b> -DOUT=<prefix> -DREL_TOL=<t>
#       -P same_curve_test.cmake
# Trains the sample with the same seed on two devices and checks that the loss curves agree (compare_curves).
# Prints "SKIPPED: ..." (the test's skip pattern) when the sample reports that the data set is missing.
foreach(required SAMPLE COMPARE EPOCHS DEVICES OUT REL_TOL)
  if(NOT DEFINED ${required})
    message(FATAL_ERROR "same_curve_test.cmake: -D${required}=... is required")
  endif()
endforeach()
include("${CMAKE_CURRENT_LIST_DIR}/run_sample.cmake")
set(curves)
foreach(device IN LISTS DEVICES)
  string(REPLACE ":" "_" tag "${device}")
  set(csv "${OUT}_${tag}.csv")
  run_sample("${csv}" --device "${device}" --epochs ${EPOCHS})
  list(APPEND curves "${csv}")
endforeach()
execute_process(COMMAND "${COMPARE}" ${curves} ${REL_TOL} RESULT_VARIABLE result)
if(NOT result EQUAL 0)
  message(FATAL_ERROR "the loss curves on ${DEVICES} differ by more than ${REL_TOL} (relative)")
endif()
