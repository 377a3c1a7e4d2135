from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = 'header.md.j2'

def root(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    l_0_header = resolve('header')
    try:
        t_1 = environment.filters['plural']
    except KeyError:
        @internalcode
        def t_1(*unused):
            raise TemplateRuntimeError("No filter named 'plural' found.")
    pass
    yield '# '
    yield str(environment.getattr((undefined(name='header') if l_0_header is missing else l_0_header), 'display_name'))
    yield ' '
    yield str(environment.getattr((undefined(name='header') if l_0_header is missing else l_0_header), 'year'))
    yield ' '
    if environment.getattr((undefined(name='header') if l_0_header is missing else l_0_header), 'week'):
        pass
        yield 'week '
        yield str(environment.getattr((undefined(name='header') if l_0_header is missing else l_0_header), 'week'))
        yield ' report'
    else:
        pass
        yield 'report'
    yield ' ('
    yield str(environment.getattr((undefined(name='header') if l_0_header is missing else l_0_header), 'date_range'))
    yield ')\n\n- Repository: `'
    yield str(environment.getattr((undefined(name='header') if l_0_header is missing else l_0_header), 'repo'))
    yield '`\n- Period: '
    yield str(environment.getattr((undefined(name='header') if l_0_header is missing else l_0_header), 'start'))
    yield ' to '
    yield str(environment.getattr((undefined(name='header') if l_0_header is missing else l_0_header), 'end'))
    yield ' ('
    yield str(environment.getattr((undefined(name='header') if l_0_header is missing else l_0_header), 'tz'))
    yield ')\n- Sources: '
    yield str(t_1(environment.getattr((undefined(name='header') if l_0_header is missing else l_0_header), 'n_prs'), 'merged PR'))
    yield ', '
    yield str(environment.getattr((undefined(name='header') if l_0_header is missing else l_0_header), 'n_highlight'))
    yield ' highlighted; generated automatically by scorer (model '
    yield str(environment.getattr((undefined(name='header') if l_0_header is missing else l_0_header), 'model'))
    yield ' '
    yield str(environment.getattr((undefined(name='header') if l_0_header is missing else l_0_header), 'model_version'))
    yield ')\n'

blocks = {}
debug_info = '1=19&3=34&4=36&5=42'