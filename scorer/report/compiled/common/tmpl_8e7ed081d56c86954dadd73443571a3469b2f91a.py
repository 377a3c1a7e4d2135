from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = 'top.html.j2'

def root(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    l_0_heading = resolve('heading')
    l_0_ctx = resolve('ctx')
    l_0_words = missing
    try:
        t_1 = environment.filters['e']
    except KeyError:
        @internalcode
        def t_1(*unused):
            raise TemplateRuntimeError("No filter named 'e' found.")
    try:
        t_2 = environment.filters['format']
    except KeyError:
        @internalcode
        def t_2(*unused):
            raise TemplateRuntimeError("No filter named 'format' found.")
    try:
        t_3 = environment.filters['plain']
    except KeyError:
        @internalcode
        def t_3(*unused):
            raise TemplateRuntimeError("No filter named 'plain' found.")
    pass
    included_template = environment.get_template('words.j2', 'top.html.j2')._get_default_module(context)
    l_0_words = getattr(included_template, 'words', missing)
    if l_0_words is missing:
        l_0_words = undefined(f"the template {included_template.__name__!r} (imported on line 1 in 'top.html.j2') does not export the requested name 'words'", name='words')
    context.vars['words'] = l_0_words
    context.exported_vars.discard('words')
    yield str((undefined(name='heading') if l_0_heading is missing else l_0_heading))
    yield '\n<table class="top"><thead><tr><th>'
    yield str(environment.getattr((undefined(name='words') if l_0_words is missing else l_0_words), 'pr'))
    yield '</th><th>'
    yield str(environment.getattr((undefined(name='words') if l_0_words is missing else l_0_words), 'importance'))
    yield '</th><th>'
    yield str(environment.getattr((undefined(name='words') if l_0_words is missing else l_0_words), 'summary'))
    yield '</th><th>'
    yield str(environment.getattr((undefined(name='words') if l_0_words is missing else l_0_words), 'tags'))
    yield '</th></tr></thead><tbody>\n'
    for l_1_p in environment.getattr((undefined(name='ctx') if l_0_ctx is missing else l_0_ctx), 'top'):
        _loop_vars = {}
        pass
        yield '<tr><td><a href="'
        yield str(environment.getattr(l_1_p, 'url'))
        yield '">#'
        yield str(environment.getattr(l_1_p, 'number'))
        yield '</a></td><td class="num">'
        yield str(t_2('%.1f', environment.getattr(l_1_p, 'importance')))
        yield '</td>\n<td><div>'
        yield str(t_1(t_3(environment.getattr(l_1_p, 'summary'))))
        yield '</div>'
        if (environment.getattr((undefined(name='ctx') if l_0_ctx is missing else l_0_ctx), 'lang') == 'zh'):
            pass
            yield '<div class="orig">'
            yield str(t_1(t_3(environment.getattr(l_1_p, 'title'))))
            yield '</div>'
        yield '<div class="meta">'
        yield str(t_1(environment.getattr(l_1_p, 'kind')))
        yield ' · '
        yield str(t_1(environment.getattr(l_1_p, 'area')))
        yield ' · '
        yield str(environment.getattr((undefined(name='words') if l_0_words is missing else l_0_words), 'story'))
        yield ': '
        yield str(t_1(environment.getattr(l_1_p, 'story')))
        yield '</div>\n'
        if environment.getattr(l_1_p, 'reasons'):
            pass
            yield '<details><summary>'
            yield str(environment.getattr((undefined(name='words') if l_0_words is missing else l_0_words), 'reasons'))
            yield '</summary><ul>'
            for l_2_r in environment.getattr(l_1_p, 'reasons'):
                _loop_vars = {}
                pass
                yield '<li>'
                yield str(t_1(l_2_r))
                yield '</li>'
            l_2_r = missing
            yield '</ul></details>'
        yield '</td>\n<td>'
        for l_2_t in environment.getattr(l_1_p, 'tags'):
            _loop_vars = {}
            pass
            yield '<span class="chip">'
            yield str(t_1(l_2_t))
            yield '</span>'
        l_2_t = missing
        yield '</td></tr>\n'
    l_1_p = missing
    yield '</tbody></table>\n'

blocks = {}
debug_info = '1=32&2=38&3=40&4=48&5=52&6=58&7=74&8=88'