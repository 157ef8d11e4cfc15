"""Values as helm hands them to the chart: files merged, then coalesced over the chart's defaults.

What helm v3 does (pkg/cli/values/options.go, pkg/chartutil/coalesce.go), and only that:
- `-f` files merge left to right: maps recursively, anything else (lists, scalars, null) replaces;
- the result is coalesced over the chart's values.yaml: maps recursively, the user's value wins, and
  a user null deletes the default key; no null is left in a map (the chart's own `nameOverride:`
  is absent for the templates and for the hub's copy of the values, which is why the pods' label
  `app` reads `jupyterhub`); lists are values and keep what they hold;
- an umbrella chart: its own values.yaml sits between the subchart's defaults and the user's files,
  under the key naming the subchart (a parent's parent nests again: `basehub: jupyterhub:`).
"""

import copy


def merge_files(values_list):
    """`helm -f a -f b`: later files win; maps merge recursively; a null is kept (coalesce deletes it)."""
    out = {}
    for values in values_list:
        out = _merge(out, values or {})
    return out


def _merge(base, top):
    out = dict(base)
    for key, value in top.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        else:
            out[key] = copy.deepcopy(value)
    return out


def coalesce(top, defaults):
    """The values `top` over `defaults`: `top` wins, maps recurse, a null in `top` deletes the key."""
    out = copy.deepcopy(defaults) if isinstance(defaults, dict) else {}
    for key, value in (top or {}).items():
        if value is None:
            out.pop(key, None)
        elif isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = coalesce(value, out[key])
        else:
            # A null below a key the defaults do not have stays null (nothing to delete).
            out[key] = copy.deepcopy(value)
    return out


def at(values, path):
    """The map at a dotted path ("" = the root), or None."""
    node = values
    for key in [k for k in path.split(".") if k]:
        if not isinstance(node, dict):
            return None
        node = node.get(key)
    return node


def find_section(values):
    """Where the jupyterhub chart's values sit in a values file: `PARENT.jupyterhub` (basehub, binderhub,
    pangeo…), `jupyterhub`, or the root."""
    nested = [f"{k}.jupyterhub" for k, v in values.items() if isinstance(v, dict) and isinstance(v.get("jupyterhub"), dict)]
    for path in nested + ["jupyterhub", ""]:
        node = at(values, path)
        if isinstance(node, dict) and any(k in node for k in ("singleuser", "hub", "proxy", "scheduling", "prePuller", "cull")):
            return path
    return ""


def layered(chart_defaults, parents, user_files):
    """The jupyterhub chart's values for a deployment.

    chart_defaults: the chart's values.yaml; parents: [(values, section)] of umbrella charts'
    values.yaml, innermost first; user_files: [(values, section)] in `-f` order.
    """
    values = chart_defaults
    for parent, section in parents:
        values = coalesce(at(parent, section) or {}, values)
    merged = merge_files([at(v, s) or {} for v, s in user_files])
    return without_nulls(coalesce(merged, values))


def without_nulls(values):
    return {k: without_nulls(v) if isinstance(v, dict) else v for k, v in values.items() if v is not None}
