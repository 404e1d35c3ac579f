#!/usr/bin/env bash
# The ART campaign on the annealed Cu-Zr glasses (data/README.md), run by hand, never in CI:
#
#   bash data/campaign.sh start    # copy the shipped events to a working copy and run both glasses in the background
#   bash data/campaign.sh status   # how far each glass has got (softspot info on the working copy)
#   bash data/campaign.sh stop     # SIGTERM the runs (each finishes its search under way) and wait for them
#   bash data/campaign.sh collect  # stop, then copy the events back into data/ (events.json's --out as in data/)
#
# The working copy lives outside the repository (CAMPAIGN_DIR, default /work/campaign): git commands that rewrite
# the working tree would replace the files a running campaign appends to. Runs are resumable: start again after
# collect (or after a reboot) and each run skips the searches already in its file. Logs: CAMPAIGN_DIR/GLASS.log.
# Each glass runs THREADS threads (default 2: on two cores the four threads share them, and when one glass is done
# the other has both; the events do not depend on the threads) in ORDER (default atoms: atom by atom, those expected
# to be done soonest first, so a partial campaign has as many finished atoms as it can; the events of a complete
# campaign are the same in either order).
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${CAMPAIGN_DIR:-/work/campaign}
glasses=(Cu64Zr36:64 Cu50Zr50:50)   # glass:seed, as the shipped events.json record
threads=${THREADS:-2}
order=${ORDER:-atoms}

cli() { # the built CLI, copied so that a rebuild of the repository does not replace it under a running campaign
  ./softspot --version > /dev/null
  rm -rf "$dir/cli" && mkdir -p "$dir" && cp -r src/Softspot.Cli/bin/Release/net10.0 "$dir/cli"
}

running() { pgrep -f "$dir/cli/Softspot.Cli.dll simulate art" > /dev/null; }

case "${1:-}" in
  start)
    running && { echo "campaign.sh: a campaign is already running (bash data/campaign.sh stop)" >&2; exit 1; }
    cli
    for gs in "${glasses[@]}"; do
      g=${gs%%:*}; seed=${gs##*:}; work=$dir/$g-annealed/art; shipped=data/glasses/$g-annealed/art
      mkdir -p "$work"
      # the shipped events are the truth unless the working copy has more (a run not yet collected)
      if [ ! -f "$work/events.csv" ] || [ "$(wc -l < "$work/events.csv")" -lt "$(wc -l < "$shipped/events.csv")" ]; then
        cp "$shipped/events.csv" "$shipped/events.json" "$work/"
        gunzip -c "$shipped/events.moved.csv.gz" > "$work/events.moved.csv"
        rm -f "$work/events.moved.csv.gz"
      fi
      setsid nohup nice -n 15 dotnet "$dir/cli/Softspot.Cli.dll" simulate art --structure "data/glasses/$g-annealed/glass.dump.gz" \
        --potential CuZr_mm.eam.fs --atoms all --searches 40 --until-converged 10 --seed "$seed" --mobile-radius 13 --threads "$threads" --order "$order" \
        --out "$work/events.csv" > "$dir/$g.log" 2>&1 < /dev/null &
      echo "campaign.sh: $g-annealed running on $threads threads, --order $order (log $dir/$g.log)"
    done ;;
  status)
    running && echo "campaign.sh: running" || echo "campaign.sh: not running"
    for gs in "${glasses[@]}"; do g=${gs%%:*}; ./softspot info "$dir/$g-annealed/art/events.csv"; done ;;
  stop|collect)
    pkill -TERM -f "$dir/cli/Softspot.Cli.dll simulate art" || true
    while running; do sleep 2; done
    if [ "$1" = collect ]; then
      for gs in "${glasses[@]}"; do
        g=${gs%%:*}; work=$dir/$g-annealed/art; shipped=data/glasses/$g-annealed/art
        cp "$work/events.csv" "$shipped/events.csv"
        sed "s#--out $work/events.csv#--out $shipped/events.csv#" "$work/events.json" > "$shipped/events.json"
        gzip -9 -c "$work/events.moved.csv" > "$shipped/events.moved.csv.gz.tmp" && mv "$shipped/events.moved.csv.gz.tmp" "$shipped/events.moved.csv.gz"
        ./softspot info "$shipped/events.csv"
      done
      echo "campaign.sh: collected into data/glasses/*-annealed/art; update data/README.md's state and commit"
    fi ;;
  *) sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
esac
