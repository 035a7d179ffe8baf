# msgpool-bench --goals end to end, with tiny runs (a few thousand messages).
#   1. A goals file whose goals are met (a system against itself, >= 0.5x),
#      missed (the same, >= 2x) and not measured (a reference no build has):
#      each reported as such in the text, and in results.txt, results.md,
#      results.json and goals.csv; exit status 4 (a goal missed).
#   2. Malformed files (bad JSON, an unknown measure, no bound, a bad shape)
#      and a missing file: exit status 1 and a message naming the file.
#   3. The project's own goals file (bench/goals/peer-comparison.json) is read.
# Inputs: BENCH SOURCE_DIR WORK_DIR
file(REMOVE_RECURSE ${WORK_DIR})
file(MAKE_DIRECTORY ${WORK_DIR})

file(WRITE ${WORK_DIR}/tiny.json [=[
{
  "description": "three goals with known outcomes",
  "goals": [
    {"name": "pool against itself", "measure": "throughput_ratio", "subject": "pool", "reference": "pool",
     "cells": [{"shape": "1x1", "capacity": 64}], "at_least": 0.5},
    {"name": "pool twice itself", "measure": "throughput_ratio", "subject": {"best_of": "pool"}, "reference": "pool",
     "cells": [{"shape": "1x1", "capacity": 64, "message_bytes": 8}], "at_least": 2.0},
    {"name": "against a system no build has", "measure": "throughput_ratio", "subject": "pool",
     "reference": "no-such-queue", "cells": [{"shape": "1x1", "capacity": 64}], "at_least": 1.0}
  ]
}
]=])
execute_process(
    COMMAND ${BENCH} --goals ${WORK_DIR}/tiny.json --reps 1 --messages 3000 --quiet --no-plots --run-limit 60
            --output ${WORK_DIR}/results
    RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT rc EQUAL 4)
    message(FATAL_ERROR "--goals with a missed goal: expected exit status 4, got ${rc}:\n${out}\n${err}")
endif()
foreach(expected
        "pool against itself[^\n]* 1\\.000 +met"
        "pool twice itself[^\n]* 1\\.000 +missed"
        "against a system no build has[^\n]*not measured[^\n]*no-such-queue"
        "goals: 1 met, 1 missed, 1 not measured")
    if(NOT out MATCHES "${expected}")
        message(FATAL_ERROR "--goals output lacks /${expected}/:\n${out}")
    endif()
endforeach()
file(GLOB run_dirs LIST_DIRECTORIES true ${WORK_DIR}/results/2*)
list(GET run_dirs 0 run_dir)
file(READ ${run_dir}/results.txt txt)
file(READ ${run_dir}/results.md md)
file(READ ${run_dir}/results.json js)
file(READ ${run_dir}/goals.csv csv)
function(expect_in var pattern)
    if(NOT "${${var}}" MATCHES "${pattern}")
        message(FATAL_ERROR "results file (${var}) lacks /${pattern}/:\n${${var}}")
    endif()
endfunction()
expect_in(txt "pool twice itself[^\n]*missed")
expect_in(md "\\| pool twice itself \\|[^\n]*\\| missed \\|")
expect_in(js "\"status\": \"not measured\"")
expect_in(csv ",pool against itself,throughput_ratio,[^\n]*,met,")

function(expect_refused name content pattern)
    file(WRITE ${WORK_DIR}/${name}.json "${content}")
    execute_process(COMMAND ${BENCH} --goals ${WORK_DIR}/${name}.json --reps 1 --messages 1000 --quiet --no-plots
                            --output ${WORK_DIR}/refused
                    RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err TIMEOUT 60)
    if(NOT rc EQUAL 1)
        message(FATAL_ERROR "goals file ${name}: expected exit status 1, got ${rc}:\n${out}\n${err}")
    endif()
    if(NOT err MATCHES "goals file [^\n]*${name}\\.json[^\n]*${pattern}")
        message(FATAL_ERROR "goals file ${name}: no clear message matching /${pattern}/:\n${err}")
    endif()
endfunction()
expect_refused(not_json "{\"goals\": [" "not valid JSON")
expect_refused(bad_measure
    "{\"goals\": [{\"name\": \"x\", \"measure\": \"speed\", \"subject\": \"pool\", \"at_least\": 1}]}"
    "goal 1, \"x\": 'measure' must be")
expect_refused(no_bound
    "{\"goals\": [{\"name\": \"x\", \"measure\": \"idle_cores\", \"subject\": \"pool\"}]}"
    "exactly one of 'at_least' and 'at_most'")
expect_refused(bad_shape
    "{\"goals\": [{\"name\": \"x\", \"measure\": \"cpu_ratio\", \"subject\": \"pool\", \"reference\": \"pool\", \"cells\": [{\"shape\": \"4by4\", \"capacity\": 64}], \"at_most\": 1}]}"
    "'shape' must be PxC")
expect_refused(typo_member
    "{\"goals\": [{\"name\": \"x\", \"measure\": \"idle_cores\", \"subject\": \"pool\", \"at_mots\": 1}]}"
    "unknown member 'at_mots'")
execute_process(COMMAND ${BENCH} --goals ${WORK_DIR}/absent.json RESULT_VARIABLE rc ERROR_VARIABLE err OUTPUT_QUIET)
if(NOT rc EQUAL 1 OR NOT err MATCHES "goals file [^\n]*absent\\.json: cannot be read")
    message(FATAL_ERROR "a missing goals file: expected exit status 1 and 'cannot be read', got ${rc}: ${err}")
endif()

# The project's goals file is read and its systems join the --compare-peers
# plan; --estimate then only calibrates (a tenth of --messages per system and
# cell) and exits.
execute_process(COMMAND ${BENCH} --goals ${SOURCE_DIR}/bench/goals/peer-comparison.json --compare-peers --estimate
                        --messages 1000 --quiet --run-limit 60
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err TIMEOUT 120)
if(NOT rc EQUAL 0 OR NOT out MATCHES "plan: ")
    message(FATAL_ERROR "bench/goals/peer-comparison.json with --compare-peers --estimate: ${rc}\n${out}\n${err}")
endif()
message(STATUS "goals: met, missed and not measured reported; malformed and missing files refused")
