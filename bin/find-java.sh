# Sourced by the launchers in this folder: finds a JDK 21+ the way the Maven build does and sets
# LOOMBENCH_JAVA to its java binary. Looks at, in order: $JAVA_HOME, `java` on PATH, then the usual
# install folders, taking the newest JDK there. Prints what it chose (or what is missing) on stderr.

loombench_java_feature() {
  # The feature version (17, 21, 25...) of the java binary $1, or nothing if it will not run.
  "$1" -XshowSettings:properties -version 2>&1 \
    | sed -n 's/^ *java\.specification\.version = \([0-9.]*\).*/\1/p' | head -n 1 | sed 's/^1\.//'
}

loombench_find_java() {
  local min=21 candidate feature best="" best_feature=0 home
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ]; then
    feature=$(loombench_java_feature "$JAVA_HOME/bin/java")
    if [ -n "$feature" ] && [ "$feature" -ge "$min" ]; then
      LOOMBENCH_JAVA="$JAVA_HOME/bin/java"; LOOMBENCH_JAVA_FEATURE=$feature; LOOMBENCH_JAVA_SOURCE="JAVA_HOME"
      return 0
    fi
  fi
  if command -v java >/dev/null 2>&1; then
    feature=$(loombench_java_feature "$(command -v java)")
    if [ -n "$feature" ] && [ "$feature" -ge "$min" ]; then
      LOOMBENCH_JAVA="$(command -v java)"; LOOMBENCH_JAVA_FEATURE=$feature; LOOMBENCH_JAVA_SOURCE="PATH"
      return 0
    fi
  fi
  for home in /usr/lib/jvm/* /usr/java/* /usr/jdk/* /opt/java/* \
              /Library/Java/JavaVirtualMachines/*/Contents/Home \
              "$HOME"/Library/Java/JavaVirtualMachines/*/Contents/Home \
              "$HOME"/.sdkman/candidates/java/* "$HOME"/.jdks/* "$HOME"/.m2/jdks/* \
              "$HOME"/.gradle/jdks/* "$HOME"/.asdf/installs/java/*; do
    candidate="$home/bin/java"
    [ -x "$candidate" ] || continue
    feature=$(loombench_java_feature "$candidate")
    if [ -n "$feature" ] && [ "$feature" -ge "$min" ] && [ "$feature" -gt "$best_feature" ]; then
      best="$candidate"; best_feature=$feature
    fi
  done
  if [ -n "$best" ]; then
    LOOMBENCH_JAVA="$best"; LOOMBENCH_JAVA_FEATURE=$best_feature; LOOMBENCH_JAVA_SOURCE="installed JDKs"
    return 0
  fi
  echo "$(basename "$0"): needs a JDK 21 or newer and found none (JAVA_HOME, java on PATH, /usr/lib/jvm and the usual folders were searched)." >&2
  echo "$(basename "$0"): install one, e.g. 'apt-get install openjdk-21-jdk' or Temurin 21+ from https://adoptium.net, or set JAVA_HOME to it." >&2
  return 1
}

# True when the arguments ask only for help or the version.
loombench_asks_for_text() {
  local arg
  for arg in "$@"; do
    case "$arg" in
      -h|--help|-V|--version) return 0 ;;
    esac
  done
  return 1
}

# Runs the shaded jar $1/target/$1-*-all.jar of this checkout with the found java, passing the
# remaining arguments. JVM options: the module's own $1/jvm.options if it has one (an argument
# file, see loadgen/jvm.options), then LOOMBENCH_JAVA_OPTS, whose options win.
loombench_run_jar() {
  local module=$1 root jar
  shift
  root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
  jar=$(ls "$root/$module/target/$module"-*-all.jar 2>/dev/null | head -n 1)
  if [ -z "$jar" ]; then
    echo "$(basename "$0"): $module/target/$module-*-all.jar is missing; build it first: (cd $root && mvn -q -DskipTests package)" >&2
    exit 1
  fi
  loombench_find_java || exit 1
  # Results record the loombench commit that made them, whatever folder the command runs in.
  if [ -z "${LOOMBENCH_COMMIT:-}" ]; then
    LOOMBENCH_COMMIT=$(git -C "$root" rev-parse --short=12 HEAD 2>/dev/null || echo unknown)
    export LOOMBENCH_COMMIT
  fi
  # Said when something will run, not for a help or version text.
  if [ -z "${LOOMBENCH_QUIET_JAVA:-}" ] && ! loombench_asks_for_text "$@"; then
    echo "$(basename "$0"): using Java $LOOMBENCH_JAVA_FEATURE at $LOOMBENCH_JAVA (from $LOOMBENCH_JAVA_SOURCE)" >&2
  fi
  local defaults=()
  [ -f "$root/$module/jvm.options" ] && defaults=("@$root/$module/jvm.options")
  # shellcheck disable=SC2086
  exec "$LOOMBENCH_JAVA" ${defaults[@]+"${defaults[@]}"} ${LOOMBENCH_JAVA_OPTS:-} -jar "$jar" "$@"
}
