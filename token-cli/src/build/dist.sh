#!/usr/bin/env bash
# Stages what the Debian package and the tarball install (the dist profile, after the
# jar, its class list and the man pages are built): one tree per format, so that the
# layout is said once here and jdeb and the assembly plugin only pack it.
#   target/dist/deb      the package's files under their installed paths (/usr/...)
#   target/dist/tarball  bin/ lib/ man/ completion/
set -euo pipefail
target=${1:?usage: dist.sh TARGET_DIR NATIVE_ARCH}
arch=${2:?usage: dist.sh TARGET_DIR NATIVE_ARCH}
src=$(cd "${BASH_SOURCE[0]%/*}/.." && pwd)
dist=$target/dist
man=$target/man/man1
rm -rf "$dist/deb" "$dist/tarball" "$dist/completion"
[ -f "$target/cds/classes.txt" ] || { echo "dist.sh: no class list (target/cds/classes.txt)" >&2; exit 1; }
ls "$man"/tokenctl.1 >/dev/null

# completion, from the same command model as --help (picocli's generator); zsh runs the
# bash script through bashcompinit
mkdir -p "$dist/completion"
"${JAVA:-java}" -jar "$target/tokenctl.jar" generate-completion > "$dist/completion/tokenctl.bash"
grep -q '^complete -F _complete_tokenctl' "$dist/completion/tokenctl.bash"
{
  echo '#compdef tokenctl'
  echo '# tokenctl completion for zsh: the bash completion, through zsh'"'"'s bashcompinit'
  echo 'autoload -U +X bashcompinit && bashcompinit'
  echo '# bash'"'"'s compopt, which the script calls to adjust options, has no zsh counterpart'
  echo '(( $+functions[compopt] )) || compopt() { : ; }'
  # the generated script calls compinit itself when sourced in zsh: not inside a completion
  grep -v 'autoload -U +X compinit && compinit' "$dist/completion/tokenctl.bash"
  echo '_bash_complete -F _complete_tokenctl -o default'
} > "$dist/completion/_tokenctl"

stage_lib() { # $1 = lib directory
  mkdir -p "$1/native/natives/unix"
  cp "$target/tokenctl.jar" "$target/cds/classes.txt" "$src/dist/tokenctl-exec.sh" "$src/dist/cds-archive" "$1/"
  cp -r "$target/native/natives/unix/$arch" "$1/native/natives/unix/"
}

# the Debian package
root=$dist/deb
mkdir -p "$root/usr/bin" "$root/usr/share/man/man1" "$root/usr/share/bash-completion/completions" \
  "$root/usr/share/zsh/vendor-completions" "$root/usr/share/doc/tokenctl"
stage_lib "$root/usr/lib/tokenctl"
cp "$src/dist/tokenctl" "$root/usr/bin/tokenctl"
for page in "$man"/*.1; do
  gzip -9n -c "$page" > "$root/usr/share/man/man1/${page##*/}.gz"
done
cp "$dist/completion/tokenctl.bash" "$root/usr/share/bash-completion/completions/tokenctl"
cp "$dist/completion/_tokenctl" "$root/usr/share/zsh/vendor-completions/_tokenctl"
# the project has not chosen a licence yet: say so rather than name one
printf 'Upstream-Name: tokenctl\nComment: No licence has been chosen for tokenctl yet.\n' \
  > "$root/usr/share/doc/tokenctl/copyright"

# the tarball
tree=$dist/tarball
mkdir -p "$tree/bin" "$tree/man/man1" "$tree/completion"
stage_lib "$tree/lib"
cp "$src/dist/tokenctl" "$tree/bin/tokenctl"
cp "$man"/*.1 "$tree/man/man1/"
cp "$dist/completion/tokenctl.bash" "$dist/completion/_tokenctl" "$tree/completion/"
echo "dist.sh: staged $(ls "$man" | wc -l) man pages, completion and the jar for $arch"
