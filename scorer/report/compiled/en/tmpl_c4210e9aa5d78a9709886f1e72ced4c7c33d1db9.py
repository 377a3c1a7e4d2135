from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = 'org.md.j2'

def root(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    l_0_header = resolve('header')
    l_0_repos = resolve('repos')
    l_0_shared = resolve('shared')
    l_0_top = resolve('top')
    try:
        t_1 = environment.filters['format']
    except KeyError:
        @internalcode
        def t_1(*unused):
            raise TemplateRuntimeError("No filter named 'format' found.")
    try:
        t_2 = environment.filters['join']
    except KeyError:
        @internalcode
        def t_2(*unused):
            raise TemplateRuntimeError("No filter named 'join' found.")
    try:
        t_3 = environment.filters['length']
    except KeyError:
        @internalcode
        def t_3(*unused):
            raise TemplateRuntimeError("No filter named 'length' found.")
    try:
        t_4 = environment.filters['plural']
    except KeyError:
        @internalcode
        def t_4(*unused):
            raise TemplateRuntimeError("No filter named 'plural' found.")
    try:
        t_5 = environment.filters['prlist']
    except KeyError:
        @internalcode
        def t_5(*unused):
            raise TemplateRuntimeError("No filter named 'prlist' found.")
    try:
        t_6 = environment.filters['replace']
    except KeyError:
        @internalcode
        def t_6(*unused):
            raise TemplateRuntimeError("No filter named 'replace' found.")
    pass
    yield '# '
    yield str(environment.getattr((undefined(name='header') if l_0_header is missing else l_0_header), 'org'))
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
    yield ')\n\n- Organisation: `'
    yield str(environment.getattr((undefined(name='header') if l_0_header is missing else l_0_header), 'org'))
    yield '`, '
    yield str(t_4(environment.getattr((undefined(name='header') if l_0_header is missing else l_0_header), 'n_repos'), 'repository', 'repositories'))
    yield ': '
    l_1_loop = missing
    for l_1_r, l_1_loop in LoopContext((undefined(name='repos') if l_0_repos is missing else l_0_repos), undefined):
        _loop_vars = {}
        pass
        yield '`'
        yield str(environment.getattr(l_1_r, 'repo'))
        yield '` ('
        yield str(t_4(environment.getattr(l_1_r, 'n_prs'), 'PR'))
        yield ')'
        yield str((', ' if (not environment.getattr(l_1_loop, 'last')) else cond_expr_undefined("the inline if-expression on line 3 in 'org.md.j2' evaluated to false and no else section was defined.")))
    l_1_loop = l_1_r = missing
    yield '\n- Period: '
    yield str(environment.getattr((undefined(name='header') if l_0_header is missing else l_0_header), 'start'))
    yield ' to '
    yield str(environment.getattr((undefined(name='header') if l_0_header is missing else l_0_header), 'end'))
    yield ' ('
    yield str(environment.getattr((undefined(name='header') if l_0_header is missing else l_0_header), 'tz'))
    yield ')\n- Sources: '
    yield str(t_4(environment.getattr((undefined(name='header') if l_0_header is missing else l_0_header), 'n_prs'), 'merged PR'))
    yield ', '
    yield str(environment.getattr((undefined(name='header') if l_0_header is missing else l_0_header), 'n_highlight'))
    yield ' highlighted; each repository is scored by its own bundle on its own history; generated automatically by scorer\n\n## Across the repositories\n\n'
    if (undefined(name='shared') if l_0_shared is missing else l_0_shared):
        pass
        l_1_loop = missing
        for l_1_t, l_1_loop in LoopContext((undefined(name='shared') if l_0_shared is missing else l_0_shared), undefined):
            _loop_vars = {}
            pass
            yield '- **'
            yield str(environment.getattr(l_1_t, 'name'))
            yield '**: '
            yield str(t_4(environment.getattr(l_1_t, 'total'), 'PR'))
            yield ' in '
            yield str(t_3(environment.getattr(l_1_t, 'repos')))
            yield ' repositories ('
            l_2_loop = missing
            for l_2_r, l_2_loop in LoopContext(environment.getattr(l_1_t, 'repos'), undefined):
                _loop_vars = {}
                pass
                yield str(environment.getitem(context.call(environment.getattr(environment.getattr(l_2_r, 'repo'), 'split'), '/', _loop_vars=_loop_vars), -1))
                yield ': '
                yield str(environment.getattr(l_2_r, 'count'))
                yield ', '
                yield str(t_5(environment.getattr(l_2_r, 'numbers')))
                yield str(('; ' if (not environment.getattr(l_2_loop, 'last')) else cond_expr_undefined("the inline if-expression on line 12 in 'org.md.j2' evaluated to false and no else section was defined.")))
            l_2_loop = l_2_r = missing
            yield ')\n'
        l_1_loop = l_1_t = missing
    else:
        pass
        yield 'No topic had 2 or more PRs in more than one repository this week.\n'
    yield '\n'
    l_1_loop = missing
    for l_1_r, l_1_loop in LoopContext((undefined(name='repos') if l_0_repos is missing else l_0_repos), undefined):
        _loop_vars = {}
        pass
        yield '## '
        yield str(environment.getattr(l_1_r, 'display_name'))
        yield ' (`'
        yield str(environment.getattr(l_1_r, 'repo'))
        yield '`)\n\n'
        if environment.getattr(l_1_r, 'empty'):
            pass
            yield 'No merged PRs in this period.\n'
        else:
            pass
            yield str(t_4(environment.getattr(l_1_r, 'n_prs'), 'merged PR'))
            yield ', '
            yield str(environment.getattr(l_1_r, 'n_highlight'))
            yield ' highlighted (model '
            yield str(environment.getattr(l_1_r, 'model'))
            yield ')'
            if environment.getattr(environment.getattr(l_1_r, 'summary'), 'kinds'):
                pass
                yield '; mostly '
                l_2_loop = missing
                for l_2_k, l_2_loop in LoopContext(environment.getattr(environment.getattr(l_1_r, 'summary'), 'kinds'), undefined):
                    _loop_vars = {}
                    pass
                    yield str(environment.getattr(l_2_k, 'name'))
                    yield ' ('
                    yield str(environment.getattr(l_2_k, 'count'))
                    yield ')'
                    yield str((', ' if (not environment.getattr(l_2_loop, 'last')) else cond_expr_undefined("the inline if-expression on line 24 in 'org.md.j2' evaluated to false and no else section was defined.")))
                l_2_loop = l_2_k = missing
            yield '.\n'
            if environment.getattr(l_1_r, 'themes'):
                pass
                yield 'Stories: '
                l_2_loop = missing
                for l_2_t, l_2_loop in LoopContext(environment.getattr(l_1_r, 'themes'), undefined):
                    _loop_vars = {}
                    pass
                    yield str(environment.getattr(l_2_t, 'name'))
                    yield ' ('
                    yield str(t_4(environment.getattr(l_2_t, 'count'), 'PR'))
                    yield ')'
                    yield str((', ' if (not environment.getattr(l_2_loop, 'last')) else cond_expr_undefined("the inline if-expression on line 26 in 'org.md.j2' evaluated to false and no else section was defined.")))
                l_2_loop = l_2_t = missing
                yield '.\n'
            if environment.getattr(l_1_r, 'risks'):
                pass
                yield 'Risks: '
                l_2_loop = missing
                for l_2_k, l_2_loop in LoopContext(environment.getattr(l_1_r, 'risks'), undefined):
                    _loop_vars = {}
                    pass
                    yield str(environment.getattr(l_2_k, 'name'))
                    yield ' ('
                    yield str(environment.getattr(l_2_k, 'count'))
                    yield ')'
                    yield str((', ' if (not environment.getattr(l_2_loop, 'last')) else cond_expr_undefined("the inline if-expression on line 29 in 'org.md.j2' evaluated to false and no else section was defined.")))
                l_2_loop = l_2_k = missing
                yield '.\n'
            yield '\n| PR | Importance | Summary | Risk tags |\n|---|---|---|---|\n'
            for l_2_p in environment.getattr(l_1_r, 'top'):
                _loop_vars = {}
                pass
                yield '| [#'
                yield str(environment.getattr(l_2_p, 'number'))
                yield ']('
                yield str(environment.getattr(l_2_p, 'url'))
                yield ') | '
                yield str(t_1('%.1f', environment.getattr(l_2_p, 'importance')))
                yield ' | '
                yield str(t_6(context.eval_ctx, environment.getattr(l_2_p, 'summary'), '|', '/'))
                yield ' | '
                yield str(t_2(context.eval_ctx, environment.getattr(l_2_p, 'tags'), ', '))
                yield ' |\n'
            l_2_p = missing
        yield '\n'
    l_1_loop = l_1_r = missing
    yield "## Top PRs across the organisation\n\nRanked by each repository's own importance score (bundles differ, so scores are comparable within a repository first).\n\n| Repository | PR | Importance | Summary | Risk tags |\n|---|---|---|---|---|\n"
    for l_1_p in (undefined(name='top') if l_0_top is missing else l_0_top):
        _loop_vars = {}
        pass
        yield '| '
        yield str(environment.getattr(l_1_p, 'display_name'))
        yield ' | [#'
        yield str(environment.getattr(l_1_p, 'number'))
        yield ']('
        yield str(environment.getattr(l_1_p, 'url'))
        yield ') | '
        yield str(t_1('%.1f', environment.getattr(l_1_p, 'importance')))
        yield ' | '
        yield str(t_6(context.eval_ctx, environment.getattr(l_1_p, 'summary'), '|', '/'))
        yield ' | '
        yield str(t_2(context.eval_ctx, environment.getattr(l_1_p, 'tags'), ', '))
        yield ' |\n'
    l_1_p = missing

blocks = {}
debug_info = '1=52&3=67&5=83&6=89&10=93&11=96&12=100&18=124&19=128&21=132&24=137&25=157&26=161&28=171&29=175&34=186&35=190&46=204&47=208'