#!/usr/bin/env bash
# floor-between.sh KEY CONFIG|identity verify|hash PID: one adjacent hash floor, recorded as KEY-floor-segSEGMENT.
# Run by `warden-bench flows --between` between the parts of a login or registration run (floored_flows in
# common.sh), with RESULTS, SRV and TOOL in the environment and SEGMENT set by the tool.
set -euo pipefail
. "$(dirname "$0")/common.sh"
adjacent_floor "$1-floor-seg$SEGMENT" "$2" "$3" "$4"
