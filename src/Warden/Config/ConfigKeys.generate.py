#!/usr/bin/env python3
# Regenerates ConfigKeys.embedded.json: every key path of the Kratos config format with its JSON type.
# Usage: python3 ConfigKeys.generate.py ../shared/reference/kratos/config.schema.json > ConfigKeys.embedded.json
# Array items appear as '#'; "object*" marks objects that accept keys not listed (free-form maps, Kratos
# objects without additionalProperties=false). The output is data (key names and types), checked in so the
# product never needs the schema at run time. Warden's own extensions live in SupportedKeys.cs, not here.
import json, sys

schema = json.load(open(sys.argv[1]))
definitions = schema.get('definitions', {})
types, open_paths = {}, set()

def deref(node):
    while isinstance(node, dict) and '$ref' in node:
        ref = node['$ref']
        if not ref.startswith('#/definitions/'):
            return True  # external reference: treat as free-form
        node = definitions[ref[len('#/definitions/'):]]
    return node

def scalar_type(value):
    return {bool: 'boolean', str: 'string', int: 'integer', float: 'number'}.get(type(value), 'any')

def walk(node, path, depth=0):
    assert depth < 40, path
    node = deref(node)
    if node is False:
        return
    found = types.setdefault(path, set())
    if node is True or node == {}:
        found.add('any'); open_paths.add(path); return
    declared = node.get('type')
    if isinstance(declared, str): found.add(declared)
    elif isinstance(declared, list): found.update(declared)
    if not declared:
        for value in ([node['const']] if 'const' in node else []) + node.get('enum', []):
            found.add(scalar_type(value))
    for combinator in ('oneOf', 'anyOf', 'allOf'):
        for branch in node.get(combinator, []):
            walk(branch, path, depth + 1)
    properties = node.get('properties', {})
    for name, child in properties.items():
        assert '.' not in name, name
        walk(child, f'{path}.{name}' if path else name, depth + 1)
    if properties or 'patternProperties' in node or 'additionalProperties' in node:
        found.add('object')
    if 'object' in found and (node.get('additionalProperties', True) is not False or 'patternProperties' in node):
        if declared == 'object' or properties or 'patternProperties' in node:
            open_paths.add(path)
    items = node.get('items')
    for item in ([items] if isinstance(items, dict) else items if isinstance(items, list) else []):
        found.add('array')
        walk(item, path + '.#', depth + 1)

walk(schema, '')
types.pop('', None)

def render(path):
    t = '|'.join(sorted(types[path])) or 'any'
    return t + '*' if path in open_paths and t == 'object' else t

print(json.dumps({path: render(path) for path in sorted(types)}, indent=0))
