from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = 'themes.md.j2'

def root(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    l_0_themes = resolve('themes')
    l_0_themes_rest = resolve('themes_rest')
    try:
        t_1 = environment.filters['gain']
    except KeyError:
        @internalcode
        def t_1(*unused):
            raise TemplateRuntimeError("No filter named 'gain' found.")
    try:
        t_2 = environment.filters['join']
    except KeyError:
        @internalcode
        def t_2(*unused):
            raise TemplateRuntimeError("No filter named 'join' found.")
    try:
        t_3 = environment.filters['oneline']
    except KeyError:
        @internalcode
        def t_3(*unused):
            raise TemplateRuntimeError("No filter named 'oneline' found.")
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
    pass
    yield '## Key changes this week\n\n'
    l_1_loop = missing
    for l_1_t, l_1_loop in LoopContext((undefined(name='themes') if l_0_themes is missing else l_0_themes), undefined):
        l_1_v = missing
        _loop_vars = {}
        pass
        l_1_v = (environment.getattr(l_1_loop, 'index0') % 3)
        _loop_vars['v'] = l_1_v
        yield '### '
        yield str(environment.getattr(l_1_loop, 'index'))
        yield '. '
        yield str(environment.getattr(l_1_t, 'name'))
        if (environment.getattr(l_1_t, 'kind') == 'model'):
            pass
            yield ' (model)'
        elif (environment.getattr(l_1_t, 'kind') == 'platform'):
            pass
            yield ' (platform)'
        elif (environment.getattr(l_1_t, 'kind') == 'burst'):
            pass
            yield " (this week's burst)"
        yield '\n\n'
        l_2_story_weeks = resolve('story_weeks')
        t_6 = []
        pass
        if (environment.getattr(l_1_t, 'situation') == 'first'):
            pass
            t_6.extend((
                str(environment.getattr(l_1_t, 'name')),
                ' is new this week: no PR in the previous ',
                str((undefined(name='story_weeks') if l_2_story_weeks is missing else l_2_story_weeks)),
                ' weeks, ',
                str(t_4(environment.getattr(l_1_t, 'count'), 'PR')),
                ' now.',
            ))
        elif (environment.getattr(l_1_t, 'situation') == 'fix_wave'):
            pass
            t_6.extend((
                str(environment.getattr(l_1_t, 'name')),
                ' is in a fix phase: ',
                str(environment.getattr(l_1_t, 'fixes')),
                ' of its ',
                str(t_4(environment.getattr(l_1_t, 'count'), 'PR')),
                ' are fixes.',
            ))
        elif (environment.getattr(l_1_t, 'situation') == 'rising'):
            pass
            t_6.extend((
                str(environment.getattr(l_1_t, 'name')),
                ' is heating up: ',
                str(t_4(environment.getattr(l_1_t, 'count'), 'PR')),
                ' this week against ',
                str(environment.getattr(l_1_t, 'weekly_before')),
                ' a week before.',
            ))
        elif (environment.getattr(l_1_t, 'situation') == 'refactor'):
            pass
            t_6.extend((
                str(environment.getattr(l_1_t, 'name')),
                ' was mostly restructured: ',
                str(t_4(environment.getattr(l_1_t, 'count'), 'PR')),
                ' changing ',
                str(environment.getattr(l_1_t, 'lines')),
                ' lines.',
            ))
        elif (environment.getattr(l_1_t, 'situation') == 'performance'):
            pass
            t_6.extend((
                str(environment.getattr(l_1_t, 'name')),
                "'s ",
                str(t_4(environment.getattr(l_1_t, 'count'), 'PR')),
                ' center on performance.',
            ))
        elif ((undefined(name='v') if l_1_v is missing else l_1_v) == 0):
            pass
            t_6.extend((
                str(environment.getattr(l_1_t, 'name')),
                ' had ',
                str(t_4(environment.getattr(l_1_t, 'count'), 'PR')),
                ' this week.',
            ))
        elif ((undefined(name='v') if l_1_v is missing else l_1_v) == 1):
            pass
            t_6.extend((
                str(t_4(environment.getattr(l_1_t, 'count'), 'PR')),
                ' landed in ',
                str(environment.getattr(l_1_t, 'name')),
                '.',
            ))
        else:
            pass
            t_6.extend((
                'This week ',
                str(environment.getattr(l_1_t, 'name')),
                ' counts ',
                str(t_4(environment.getattr(l_1_t, 'count'), 'PR')),
                '.',
            ))
        if ((environment.getattr(l_1_t, 'kind') == 'module') and environment.getattr(l_1_t, 'elsewhere')):
            pass
            t_6.extend((
                ' The area had ',
                str(environment.getattr(l_1_t, 'module_total')),
                ' PRs in all; ',
                str(environment.getattr(l_1_t, 'elsewhere')),
                ' of them are counted in the stories above.',
            ))
        if (environment.getattr(l_1_t, 'count') > 1):
            pass
            t_6.append(
                ' By kind: ',
            )
            l_3_loop = missing
            for l_3_k, l_3_loop in LoopContext(environment.getattr(l_1_t, 'kinds'), undefined):
                _loop_vars = {}
                pass
                t_6.extend((
                    str(environment.getattr(l_3_k, 'count')),
                    ' ',
                    str(environment.getattr(l_3_k, 'name')),
                ))
                if (not environment.getattr(l_3_loop, 'last')):
                    pass
                    t_6.append(
                        ', ',
                    )
            l_3_loop = l_3_k = missing
            t_6.append(
                '.',
            )
        if ((undefined(name='v') if l_1_v is missing else l_1_v) == 0):
            pass
            t_6.append(
                ' The most important are',
            )
        elif ((undefined(name='v') if l_1_v is missing else l_1_v) == 1):
            pass
            t_6.append(
                ' Worth a look:',
            )
        else:
            pass
            t_6.append(
                ' The weightiest are',
            )
        l_3_loop = missing
        for l_3_p, l_3_loop in LoopContext(environment.getattr(l_1_t, 'prs'), undefined):
            _loop_vars = {}
            pass
            t_6.extend((
                ' #',
                str(environment.getattr(l_3_p, 'number')),
                ' (',
                str(environment.getattr(l_3_p, 'summary')),
                ', ',
                str(environment.getattr(l_3_p, 'importance')),
                ')',
            ))
            if (not environment.getattr(l_3_loop, 'last')):
                pass
                t_6.append(
                    ',',
                )
        l_3_loop = l_3_p = missing
        t_6.append(
            '.\n',
        )
        if environment.getattr(l_1_t, 'new_models'):
            pass
            t_6.extend((
                ' New models: ',
                str(t_5(environment.getattr(l_1_t, 'new_models'))),
                '.',
            ))
        if environment.getattr(l_1_t, 'gains'):
            pass
            t_6.append(
                ' Figures the PRs measure: ',
            )
            l_3_loop = missing
            for l_3_g, l_3_loop in LoopContext(environment.getattr(l_1_t, 'gains'), undefined):
                _loop_vars = {}
                pass
                t_6.extend((
                    '#',
                    str(environment.getattr(l_3_g, 'number')),
                    ' ',
                    str(t_1(l_3_g)),
                ))
                if (not environment.getattr(l_3_loop, 'last')):
                    pass
                    t_6.append(
                        ', ',
                    )
            l_3_loop = l_3_g = missing
            t_6.append(
                '.',
            )
        if environment.getattr(l_1_t, 'hardware'):
            pass
            t_6.extend((
                ' Hardware named: ',
                str(t_2(context.eval_ctx, environment.getattr(l_1_t, 'hardware'), ', ')),
                '.',
            ))
        yield t_3(concat(t_6))
        l_2_story_weeks = missing
        yield '\n\n'
    l_1_loop = l_1_t = l_1_v = missing
    if environment.getattr((undefined(name='themes_rest') if l_0_themes_rest is missing else l_0_themes_rest), 'stories'):
        pass
        yield 'The other '
        yield str(t_4(environment.getattr((undefined(name='themes_rest') if l_0_themes_rest is missing else l_0_themes_rest), 'prs'), 'PR'))
        yield ' spread over '
        yield str(environment.getattr((undefined(name='themes_rest') if l_0_themes_rest is missing else l_0_themes_rest), 'stories'))
        yield ' smaller topics.\n\n'

blocks = {}
debug_info = '3=45&4=49&5=52&9=68&10=141&11=150&12=173&13=210&14=217&15=241&8=248&20=252'