#!/usr/bin/env python3
"""Writes src/Sluice.ControlPlane/Protobuf/ProtoTables.g.cs: one field table per Kubernetes API message the
plane decodes, read from the Go types (json and protobuf struct tags) of k8s.io/api and k8s.io/apimachinery.

Usage: generate.py API_DIR APIMACHINERY_DIR > src/Sluice.ControlPlane/Protobuf/ProtoTables.g.cs
where the directories are checkouts of the two repositories (field numbers never change between releases;
newer releases only add fields).
"""
import re, sys, os

API, MACH = sys.argv[1], sys.argv[2]
PACKAGES = {
    'core.v1': f'{API}/core/v1', 'apps.v1': f'{API}/apps/v1', 'batch.v1': f'{API}/batch/v1',
    'rbac.v1': f'{API}/rbac/v1', 'policy.v1': f'{API}/policy/v1', 'networking.v1': f'{API}/networking/v1',
    'scheduling.v1': f'{API}/scheduling/v1', 'authentication.v1': f'{API}/authentication/v1',
    'authorization.v1': f'{API}/authorization/v1', 'discovery.v1': f'{API}/discovery/v1',
    'autoscaling.v1': f'{API}/autoscaling/v1', 'meta.v1': f'{MACH}/pkg/apis/meta/v1',
}
IMPORTS = {
    'k8s.io/api/core/v1': 'core.v1', 'k8s.io/apimachinery/pkg/apis/meta/v1': 'meta.v1',
    'k8s.io/apimachinery/pkg/api/resource': 'resource', 'k8s.io/apimachinery/pkg/util/intstr': 'intstr',
    'k8s.io/apimachinery/pkg/runtime': 'runtime', 'k8s.io/apimachinery/pkg/types': 'types',
}
# Messages with a JSON form of their own (converted in code, see ProtoJson).
SPECIAL = {'meta.v1.Time', 'meta.v1.MicroTime', 'meta.v1.Duration', 'resource.Quantity', 'intstr.IntOrString',
           'runtime.RawExtension', 'meta.v1.FieldsV1', 'authentication.v1.ExtraValue', 'authorization.v1.ExtraValue'}
ROOTS = [
    'core.v1.Namespace', 'core.v1.ConfigMap', 'core.v1.Secret', 'core.v1.ServiceAccount', 'core.v1.Service',
    'core.v1.Pod', 'core.v1.ResourceQuota', 'core.v1.Endpoints', 'core.v1.Binding',
    'apps.v1.Deployment', 'apps.v1.ReplicaSet', 'apps.v1.StatefulSet', 'apps.v1.DaemonSet',
    'batch.v1.Job', 'batch.v1.CronJob',
    'rbac.v1.Role', 'rbac.v1.RoleBinding', 'rbac.v1.ClusterRole', 'rbac.v1.ClusterRoleBinding',
    'policy.v1.PodDisruptionBudget', 'policy.v1.Eviction', 'networking.v1.Ingress', 'scheduling.v1.PriorityClass',
    'authentication.v1.TokenRequest', 'authentication.v1.TokenReview', 'authentication.v1.SelfSubjectReview',
    'authorization.v1.SelfSubjectAccessReview', 'authorization.v1.SelfSubjectRulesReview',
    'authorization.v1.SubjectAccessReview', 'authorization.v1.LocalSubjectAccessReview',
    'discovery.v1.EndpointSlice', 'autoscaling.v1.Scale', 'meta.v1.DeleteOptions',
]

structs, aliases = {}, {}
FIELD = re.compile(r'^\s*(?:(\w+)\s+)?([\*\[\]\w\.]+(?:\[[\w\.]+\][\*\[\]\w\.]+)?)\s+`([^`]*)`')
for pkg, d in PACKAGES.items():
    for fn in sorted(os.listdir(d)):
        if not fn.endswith('.go') or fn.endswith('_test.go') or fn.startswith('zz_') or fn.startswith('generated'):
            continue
        src = open(os.path.join(d, fn)).read()
        imports = {}
        for m in re.finditer(r'^\s*(\w+)?\s*"([^"]+)"\s*$', (re.search(r'^import \((.*?)^\)', src, re.M | re.S) or re.search(r'^import (".*")$', src, re.M) or re.match('', '')).group(0), re.M):
            path = m.group(2)
            alias = m.group(1) or path.split('/')[-1]
            if path in IMPORTS:
                imports[alias] = IMPORTS[path]
        src = re.sub(r'//[^\n]*', '', src)
        for m in re.finditer(r'^type (\w+) struct \{(.*?)^\}', src, re.M | re.S):
            fields = []
            for line in m.group(2).split('\n'):
                f = FIELD.match(line)
                if not f or 'protobuf:"' not in f.group(3):
                    continue
                name, gotype, tags = f.group(1), f.group(2), f.group(3)
                if name is None:  # embedded
                    name, gotype = gotype.split('.')[-1], gotype
                fields.append((name, gotype, tags))
            structs[f'{pkg}.{m.group(1)}'] = (fields, imports, pkg)
        for m in re.finditer(r'^type (\w+) ([\[\]\w\.\*]+(?:\[[\w\.]+\][\w\.\*\[\]]+)?)\s*$', src, re.M):
            aliases[f'{pkg}.{m.group(1)}'] = (m.group(2), imports, pkg)

SCALARS = {'string': 'Str', 'int32': 'I32', 'int64': 'I64', 'bool': 'Bool', 'float64': 'F64', 'int': 'I64'}

def resolve(gotype, imports, pkg):
    """-> ('scalar', kind) | ('msg', name) | ('list', elem) | ('map', key, elem) | ('bytes',)"""
    if gotype.startswith('*'):
        return resolve(gotype[1:], imports, pkg)
    if gotype == '[]byte':
        return ('bytes',)
    if gotype.startswith('[]'):
        return ('list', resolve(gotype[2:], imports, pkg))
    if gotype.startswith('map['):
        k, v = re.match(r'map\[([\w\.]+)\](.+)', gotype).groups()
        return ('map', resolve(k, imports, pkg), resolve(v, imports, pkg))
    if gotype in SCALARS:
        return ('scalar', SCALARS[gotype])
    if '.' in gotype:
        alias, local = gotype.split('.')
        target = imports.get(alias)
        if target is None:
            return None
        full = f'{target}.{local}'
    else:
        full = f'{pkg}.{gotype}'
    if full in SPECIAL:
        return ('msg', full)
    if full == 'types.UID' or full == 'types.NodeName':
        return ('scalar', 'Str')
    if full in structs:
        return ('msg', full)
    if full in aliases:
        t, imp, p = aliases[full]
        return resolve(t, imp, p)
    return None

tables, queue, seen = {}, list(ROOTS), set()
while queue:
    name = queue.pop(0)
    if name in seen or name in SPECIAL:
        continue
    seen.add(name)
    fields, imports, pkg = structs[name]
    out = []
    for fname, gotype, tags in fields:
        pb = re.search(r'protobuf:"(\w+),(\d+)(?:,(opt|rep|req))?(?:,name=(\w+))?', tags)
        js = re.search(r'json:"([^"]*)"', tags)
        jparts = (js.group(1) if js else '').split(',')
        jname = jparts[0]
        if jname == '-':
            continue
        inline = 'inline' in jparts or (jname == '' and js is not None)
        if js is None:
            jname = fname[0].lower() + fname[1:]
        omitempty = 'omitempty' in jparts
        pointer = gotype.startswith('*')
        if pb is None:
            raise SystemExit(f'{name}.{fname}: cannot read the protobuf tag {tags!r}')
        number = int(pb.group(2))
        t = resolve(gotype, imports, pkg)
        if t is None:
            out.append(f'Skip({number}, "{jname}")')
            continue
        flags = []
        if t[0] == 'list':
            flags.append('Repeated')
            t = t[1]
            if t is None or t[0] == 'list':
                out.append(f'Skip({number}, "{jname}")')
                continue
        if t[0] == 'scalar':
            if pointer or not omitempty:
                flags.append('KeepZero')
            out.append(f'{t[1]}({number}, "{jname}"{", " + " | ".join("F." + f for f in flags) if flags else ""})')
        elif t[0] == 'bytes':
            out.append(f'Bytes({number}, "{jname}"{", F.Repeated" if "Repeated" in flags else ""})')
        elif t[0] == 'msg':
            if inline:
                flags.append('Inline')
            if 'omitzero' in jparts:
                flags.append('OmitZero')
            queue.append(t[1])
            out.append(f'Msg({number}, "{jname}", "{t[1]}"{", " + " | ".join("F." + f for f in flags) if flags else ""})')
        elif t[0] == 'map':
            v = t[2]
            if v is None:
                out.append(f'Skip({number}, "{jname}")')
            elif v[0] == 'scalar':
                out.append(f'MapOf({number}, "{jname}", V.{v[1]})')
            elif v[0] == 'bytes':
                out.append(f'MapOf({number}, "{jname}", V.Bytes)')
            elif v[0] == 'msg':
                queue.append(v[1])
                out.append(f'MapOf({number}, "{jname}", "{v[1]}")')
            else:
                out.append(f'Skip({number}, "{jname}")')
    tables[name] = out

print('// <auto-generated>')
print('// Written by tools/protobuf-tables/generate.py from the json and protobuf struct tags of k8s.io/api and')
print('// k8s.io/apimachinery. Field numbers are the API\'s own and never change; regenerate to add kinds.')
print('// </auto-generated>')
print('namespace Sluice.ControlPlane.Protobuf;')
print()
print('internal static partial class ProtoTables')
print('{')
print('    private static Dictionary<string, ProtoMessage> Build() => new(StringComparer.Ordinal)')
print('    {')
for name in sorted(tables):
    print(f'        ["{name}"] = new(')
    print('            "' + name + '",')
    body = tables[name]
    print('            [' + (', '.join(body)) + ']),')
print('    };')
print('}')
