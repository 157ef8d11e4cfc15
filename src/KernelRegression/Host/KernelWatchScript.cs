using System.Globalization;
using System.Text.RegularExpressions;

namespace KernelRegression.Host;

/// <summary>
/// The kernel watch as a POSIX shell script (dash and busybox sh; no ps, which the suite's images lack),
/// for where the harness cannot read /proc itself: run inside the kernel's container or pod, it prints
/// what <see cref="KernelWatchLine"/> parses:
/// <list type="bullet">
/// <item><c>watching ID</c> once it runs;</item>
/// <item><c>found PID PPID PARENT_IS_PID1 PARENT_CMD</c> for the newest process whose command line names
/// the kernel's connection file (kernel-ID.json), whose parent's does not, and that it has not reported
/// yet: a fork of the kernel (or of a wrapper that does not exec) names the file too until it execs, and
/// its parent is the one to watch. The ppid is read
/// inside the container's own pid namespace, so PPID 1 is its PID 1; 0 is a parent outside it;</item>
/// <item><c>exited PID</c> once /proc/PID is gone, a zombie, or another process (start time changed).
/// It polls every 100 ms, then looks for the next process: restarts reuse the connection file.</item>
/// </list>
/// It must run with stdin open (kubectl exec -i, docker exec -i): it ends when stdin does, so closing
/// the exec stops it; a run of <c>limit</c> ends it too. "kernel-[x]yz.json" matches the kernel's
/// command line but neither the script's own nor its grep's.
/// </summary>
public static partial class KernelWatchScript
{
    public static TimeSpan DefaultLimit { get; } = TimeSpan.FromHours(3);

    public static string For(string kernelId, TimeSpan? limit = null)
    {
        if (!KernelIdShape().IsMatch(kernelId))
        {
            throw new HarnessException($"kernel id '{kernelId}' is not a kernel id (letters, digits and '-' only)",
                "pass the id the server's /api/kernels returned");
        }
        var ticks = (long)Math.Ceiling((limit ?? DefaultLimit).TotalMilliseconds / 100);
        var pattern = $"kernel-[{kernelId[0]}]{kernelId[1..]}.json";
        return Template
            .Replace("@PATTERN@", pattern, StringComparison.Ordinal)
            .Replace("@KERNEL@", kernelId, StringComparison.Ordinal)
            .Replace("@LIMIT@", ticks.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal);
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9-]*$")]
    private static partial Regex KernelIdShape();

    // A background reader ends the script when stdin ends (an async list's stdin is /dev/null unless
    // given: hence fd 3). A failed write (the reader gone) ends it as well. /proc/PID/stat after "(comm) ":
    // $1 state, $2 ppid, $20 start time.
    private const string Template = """
        k='@PATTERN@'
        seen=' '
        n=0
        exec 3<&0
        ( while read -r _; do :; done <&3; kill $$ 2>/dev/null ) &
        reader=$!
        exec 3<&-
        trap 'kill $reader 2>/dev/null' EXIT
        echo 'watching @KERNEL@' || exit 0
        while [ $n -lt @LIMIT@ ]; do
          new=0
          for f in $(grep -l "$k" /proc/[0-9]*/cmdline 2>/dev/null); do
            p=${f#/proc/}; p=${p%/cmdline}
            case "$seen" in *" $p "*) continue ;; esac
            { read -r s < /proc/$p/stat; } 2>/dev/null || continue
            set -- ${s##*) }
            grep -q "$k" /proc/$2/cmdline 2>/dev/null && continue
            [ "$p" -gt "$new" ] && new=$p
          done
          if [ "$new" -eq 0 ]; then
            sleep 0.1; n=$((n+1)); continue
          fi
          seen="$seen$new "
          pp=0; st=-; c=
          if { read -r s < /proc/$new/stat; } 2>/dev/null; then
            set -- ${s##*) }; pp=$2; st=${20}
            c=$(tr '\0\n' '  ' 2>/dev/null < /proc/$pp/cmdline)
          fi
          one=0; [ "$pp" -eq 1 ] && one=1
          printf 'found %s %s %s %s\n' "$new" "$pp" "$one" "$c" || exit 0
          while { read -r s < /proc/$new/stat; } 2>/dev/null; do
            set -- ${s##*) }
            [ "$1" = Z ] || [ "${20}" != "$st" ] && break
            [ $n -lt @LIMIT@ ] || exit 0
            sleep 0.1; n=$((n+1))
          done
          printf 'exited %s\n' "$new" || exit 0
        done
        """;
}
