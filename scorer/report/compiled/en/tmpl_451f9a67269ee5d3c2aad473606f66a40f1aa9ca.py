from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = 'trends.md.j2'

def root(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    l_0_trends = resolve('trends')
    l_0_trends_rest = resolve('trends_rest')
    l_0_rising = resolve('rising')
    l_0_falling = resolve('falling')
    try:
        t_1 = environment.filters['plural']
    except KeyError:
        @internalcode
        def t_1(*unused):
            raise TemplateRuntimeError("No filter named 'plural' found.")
    try:
        t_2 = environment.filters['round']
    except KeyError:
        @internalcode
        def t_2(*unused):
            raise TemplateRuntimeError("No filter named 'round' found.")
    try:
        t_3 = environment.filters['signed']
    except KeyError:
        @internalcode
        def t_3(*unused):
            raise TemplateRuntimeError("No filter named 'signed' found.")
    try:
        t_4 = environment.tests['none']
    except KeyError:
        @internalcode
        def t_4(*unused):
            raise TemplateRuntimeError("No test named 'none' found.")
    pass
    yield '## Module and theme trends\n\n'
    def t_5(fiter):
        for l_1_m in fiter:
            if environment.getattr(l_1_m, 'bullet'):
                yield l_1_m
    l_1_loop = missing
    for l_1_m, l_1_loop in LoopContext(t_5((undefined(name='trends') if l_0_trends is missing else l_0_trends)), undefined):
        _loop_vars = {}
        pass
        yield '- **'
        yield str(environment.getattr(l_1_m, 'name'))
        yield '**: '
        yield str(environment.getattr(l_1_m, 'count'))
        yield ' PR'
        yield str(('s' if (environment.getattr(l_1_m, 'count') != 1) else cond_expr_undefined("the inline if-expression on line 4 in 'trends.md.j2' evaluated to false and no else section was defined.")))
        if (not t_4(environment.getattr(l_1_m, 'avg_prev'))):
            pass
            yield " (previous weeks' average "
            yield str(environment.getattr(l_1_m, 'avg_prev'))
            yield ', change '
            yield str(t_3(t_2(environment.getattr(l_1_m, 'change'), 1)))
            yield ')'
        if environment.getattr(l_1_m, 'hot_files'):
            pass
            yield '; hot files '
            l_2_loop = missing
            for l_2_f, l_2_loop in LoopContext(environment.getattr(l_1_m, 'hot_files'), undefined):
                _loop_vars = {}
                pass
                yield '`'
                yield str(l_2_f)
                yield '`'
                if (not environment.getattr(l_2_loop, 'last')):
                    pass
                    yield ', '
            l_2_loop = l_2_f = missing
        if environment.getattr(l_1_m, 'tags'):
            pass
            yield '; tags '
            l_2_loop = missing
            for l_2_t, l_2_loop in LoopContext(environment.getattr(l_1_m, 'tags'), undefined):
                _loop_vars = {}
                pass
                yield str(environment.getattr(l_2_t, 'name'))
                yield ' '
                yield str(environment.getattr(l_2_t, 'count'))
                if (not environment.getattr(l_2_loop, 'last')):
                    pass
                    yield ', '
            l_2_loop = l_2_t = missing
        yield '\n\n'
    l_1_loop = l_1_m = missing
    if environment.getattr((undefined(name='trends_rest') if l_0_trends_rest is missing else l_0_trends_rest), 'modules'):
        pass
        yield '- '
        yield str(t_1(environment.getattr((undefined(name='trends_rest') if l_0_trends_rest is missing else l_0_trends_rest), 'modules'), 'other area'))
        yield ': '
        yield str(t_1(environment.getattr((undefined(name='trends_rest') if l_0_trends_rest is missing else l_0_trends_rest), 'prs'), 'PR'))
        yield ' in all, little change.\n\n'
    if ((undefined(name='rising') if l_0_rising is missing else l_0_rising) or (undefined(name='falling') if l_0_falling is missing else l_0_falling)):
        pass
        yield 'Overall direction: '
        if (undefined(name='rising') if l_0_rising is missing else l_0_rising):
            pass
            yield 'activity grows in '
            l_1_loop = missing
            for l_1_t, l_1_loop in LoopContext((undefined(name='rising') if l_0_rising is missing else l_0_rising), undefined):
                _loop_vars = {}
                pass
                yield str(environment.getattr(l_1_t, 'name'))
                if (not environment.getattr(l_1_loop, 'last')):
                    pass
                    yield ', '
            l_1_loop = l_1_t = missing
        if ((undefined(name='rising') if l_0_rising is missing else l_0_rising) and (undefined(name='falling') if l_0_falling is missing else l_0_falling)):
            pass
            yield '; '
        if (undefined(name='falling') if l_0_falling is missing else l_0_falling):
            pass
            yield 'it shrinks in '
            l_1_loop = missing
            for l_1_t, l_1_loop in LoopContext((undefined(name='falling') if l_0_falling is missing else l_0_falling), undefined):
                _loop_vars = {}
                pass
                yield str(environment.getattr(l_1_t, 'name'))
                if (not environment.getattr(l_1_loop, 'last')):
                    pass
                    yield ', '
            l_1_loop = l_1_t = missing
        yield '.'
    else:
        pass
        yield 'Overall direction: activity per module is close to the previous weeks.'

blocks = {}
debug_info = '3=40&4=49&7=91&9=98'