from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = 'risks.md.j2'

def root(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    l_0_risks = resolve('risks')
    l_0_hardware_note = resolve('hardware_note')
    try:
        t_1 = environment.filters['join']
    except KeyError:
        @internalcode
        def t_1(*unused):
            raise TemplateRuntimeError("No filter named 'join' found.")
    try:
        t_2 = environment.filters['length']
    except KeyError:
        @internalcode
        def t_2(*unused):
            raise TemplateRuntimeError("No filter named 'length' found.")
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
    yield '## Risk observations\n\n'
    if (undefined(name='risks') if l_0_risks is missing else l_0_risks):
        pass
        l_1_loop = missing
        for l_1_r, l_1_loop in LoopContext((undefined(name='risks') if l_0_risks is missing else l_0_risks), undefined):
            l_1_e = missing
            _loop_vars = {}
            pass
            l_1_e = environment.getattr(l_1_r, 'evidence')
            _loop_vars['e'] = l_1_e
            l_2_bug_window_days = resolve('bug_window_days')
            t_6 = []
            pass
            t_6.extend((
                '- **',
                str(environment.getattr(l_1_r, 'name')),
                '** (',
                str(t_4(environment.getattr(l_1_r, 'count'), 'PR')),
            ))
            if (environment.getattr(l_1_r, 'source') == 'model'):
                pass
                t_6.append(
                    ', decided by the model',
                )
                if environment.getattr(l_1_r, 'threshold'):
                    pass
                    t_6.extend((
                        ' at threshold ',
                        str(environment.getattr(l_1_r, 'threshold')),
                    ))
            else:
                pass
                t_6.append(
                    ', by rule',
                )
            t_6.extend((
                '): representative PR',
                str(('s' if (t_2(environment.getattr(l_1_r, 'prs')) != 1) else cond_expr_undefined("the inline if-expression on line 7 in 'risks.md.j2' evaluated to false and no else section was defined."))),
                ' ',
            ))
            l_3_loop = missing
            for l_3_p, l_3_loop in LoopContext(environment.getattr(l_1_r, 'prs'), undefined):
                _loop_vars = {}
                pass
                t_6.extend((
                    '#',
                    str(environment.getattr(l_3_p, 'number')),
                ))
                if (not environment.getattr(l_3_loop, 'last')):
                    pass
                    t_6.append(
                        ', ',
                    )
            l_3_loop = l_3_p = missing
            t_6.append(
                '.\n',
            )
            if (environment.getattr(l_1_r, 'tag') == 'core-path'):
                pass
                t_6.append(
                    'Changes on core paths affect every request path; regressions there cost the most',
                )
                if environment.getattr((undefined(name='e') if l_1_e is missing else l_1_e), 'files'):
                    pass
                    t_6.append(
                        '. The most changed core files:',
                    )
                    l_3_loop = missing
                    for l_3_f, l_3_loop in LoopContext(environment.getattr((undefined(name='e') if l_1_e is missing else l_1_e), 'files'), undefined):
                        _loop_vars = {}
                        pass
                        t_6.extend((
                            ' `',
                            str(environment.getattr(l_3_f, 'file')),
                            '` (',
                            str(t_4(environment.getattr(l_3_f, 'prs'), 'PR')),
                            ')',
                        ))
                        if (not environment.getattr(l_3_loop, 'last')):
                            pass
                            t_6.append(
                                ',',
                            )
                    l_3_loop = l_3_f = missing
                t_6.append(
                    '.\n',
                )
            elif (environment.getattr(l_1_r, 'tag') == 'missing-tests'):
                pass
                t_6.append(
                    'Source changes without tests leave problems to be found downstream',
                )
                if environment.getattr((undefined(name='e') if l_1_e is missing else l_1_e), 'modules'):
                    pass
                    t_6.append(
                        '; mostly in ',
                    )
                    l_3_loop = missing
                    for l_3_m, l_3_loop in LoopContext(environment.getattr((undefined(name='e') if l_1_e is missing else l_1_e), 'modules'), undefined):
                        _loop_vars = {}
                        pass
                        t_6.extend((
                            str(environment.getattr(l_3_m, 'name')),
                            ' (',
                            str(environment.getattr(l_3_m, 'prs')),
                            ')',
                        ))
                        if (not environment.getattr(l_3_loop, 'last')):
                            pass
                            t_6.append(
                                ', ',
                            )
                    l_3_loop = l_3_m = missing
                t_6.append(
                    '.\n',
                )
            elif (environment.getattr(l_1_r, 'tag') == 'dependency'):
                pass
                t_6.append(
                    'Dependency changes can break builds and downstream environments',
                )
                if environment.getattr((undefined(name='e') if l_1_e is missing else l_1_e), 'deps'):
                    pass
                    t_6.append(
                        '. Versions this week: ',
                    )
                    l_3_loop = missing
                    for l_3_d, l_3_loop in LoopContext(environment.getattr((undefined(name='e') if l_1_e is missing else l_1_e), 'deps'), undefined):
                        _loop_vars = {}
                        pass
                        t_6.extend((
                            str(environment.getattr(l_3_d, 'name')),
                            ' ',
                            str(environment.getattr(l_3_d, 'version')),
                        ))
                        if (not environment.getattr(l_3_loop, 'last')):
                            pass
                            t_6.append(
                                ', ',
                            )
                    l_3_loop = l_3_d = missing
                if environment.getattr((undefined(name='e') if l_1_e is missing else l_1_e), 'files'):
                    pass
                    t_6.append(
                        '. Dependency files changed:',
                    )
                    l_3_loop = missing
                    for l_3_f, l_3_loop in LoopContext(environment.getattr((undefined(name='e') if l_1_e is missing else l_1_e), 'files'), undefined):
                        _loop_vars = {}
                        pass
                        t_6.extend((
                            ' `',
                            str(environment.getattr(l_3_f, 'file')),
                            '`',
                        ))
                        if (not environment.getattr(l_3_loop, 'last')):
                            pass
                            t_6.append(
                                ',',
                            )
                    l_3_loop = l_3_f = missing
                t_6.append(
                    '.\n',
                )
            elif (environment.getattr(l_1_r, 'tag') == 'platform'):
                pass
                t_6.append(
                    'Platform-specific code rarely has CI coverage on every platform',
                )
                if environment.getattr((undefined(name='e') if l_1_e is missing else l_1_e), 'platforms'):
                    pass
                    t_6.append(
                        '; this week:',
                    )
                    l_3_loop = missing
                    for l_3_p, l_3_loop in LoopContext(environment.getattr((undefined(name='e') if l_1_e is missing else l_1_e), 'platforms'), undefined):
                        _loop_vars = {}
                        pass
                        t_6.extend((
                            ' ',
                            str(environment.getattr(l_3_p, 'name')),
                            ' (',
                            str(t_4(environment.getattr(l_3_p, 'prs'), 'PR')),
                            ')',
                        ))
                        if (not environment.getattr(l_3_loop, 'last')):
                            pass
                            t_6.append(
                                ',',
                            )
                    l_3_loop = l_3_p = missing
                if environment.getattr((undefined(name='e') if l_1_e is missing else l_1_e), 'hardware'):
                    pass
                    t_6.extend((
                        ', titles name ',
                        str(t_1(context.eval_ctx, environment.getattr((undefined(name='e') if l_1_e is missing else l_1_e), 'hardware'), ', ')),
                    ))
                t_6.append(
                    '.\n',
                )
            elif (environment.getattr(l_1_r, 'tag') == 'interface'):
                pass
                t_6.append(
                    'Interface and configuration changes reach users directly',
                )
                if environment.getattr((undefined(name='e') if l_1_e is missing else l_1_e), 'files'):
                    pass
                    t_6.append(
                        '; the most changed:',
                    )
                    l_3_loop = missing
                    for l_3_f, l_3_loop in LoopContext(environment.getattr((undefined(name='e') if l_1_e is missing else l_1_e), 'files'), undefined):
                        _loop_vars = {}
                        pass
                        t_6.extend((
                            ' `',
                            str(environment.getattr(l_3_f, 'file')),
                            '` (',
                            str(t_4(environment.getattr(l_3_f, 'prs'), 'PR')),
                            ')',
                        ))
                        if (not environment.getattr(l_3_loop, 'last')):
                            pass
                            t_6.append(
                                ',',
                            )
                    l_3_loop = l_3_f = missing
                t_6.append(
                    '.\n',
                )
            elif (environment.getattr(l_1_r, 'tag') == 'bug-inducing'):
                pass
                t_6.extend((
                    'The model rates these PRs likely to be blamed by a bug fix within ',
                    str((undefined(name='bug_window_days') if l_2_bug_window_days is missing else l_2_bug_window_days)),
                    ' days',
                ))
                if environment.getattr((undefined(name='e') if l_1_e is missing else l_1_e), 'max'):
                    pass
                    if (t_2(environment.getattr(environment.getattr((undefined(name='e') if l_1_e is missing else l_1_e), 'max'), 'numbers')) > 1):
                        pass
                        t_6.extend((
                            ', ',
                            str(t_2(environment.getattr(environment.getattr((undefined(name='e') if l_1_e is missing else l_1_e), 'max'), 'numbers'))),
                            ' PRs tied highest at ',
                            str(environment.getattr(environment.getattr((undefined(name='e') if l_1_e is missing else l_1_e), 'max'), 'p')),
                            ' (',
                            str(t_5(environment.getattr(environment.getattr((undefined(name='e') if l_1_e is missing else l_1_e), 'max'), 'numbers'))),
                            ')',
                        ))
                    else:
                        pass
                        t_6.extend((
                            ', highest #',
                            str(environment.getattr(environment.getattr((undefined(name='e') if l_1_e is missing else l_1_e), 'max'), 'number')),
                            ' (',
                            str(environment.getattr(environment.getattr((undefined(name='e') if l_1_e is missing else l_1_e), 'max'), 'p')),
                            ')',
                        ))
                if environment.getattr((undefined(name='e') if l_1_e is missing else l_1_e), 'files'):
                    pass
                    t_6.append(
                        '; they most often touch',
                    )
                    l_3_loop = missing
                    for l_3_f, l_3_loop in LoopContext(environment.getattr((undefined(name='e') if l_1_e is missing else l_1_e), 'files'), undefined):
                        _loop_vars = {}
                        pass
                        t_6.extend((
                            ' `',
                            str(environment.getattr(l_3_f, 'file')),
                            '` (',
                            str(t_4(environment.getattr(l_3_f, 'prs'), 'PR')),
                            ')',
                        ))
                        if (not environment.getattr(l_3_loop, 'last')):
                            pass
                            t_6.append(
                                ',',
                            )
                    l_3_loop = l_3_f = missing
                t_6.append(
                    '.\n',
                )
            elif (environment.getattr(l_1_r, 'tag') == 'reverted'):
                pass
                t_6.append(
                    'The model rates these PRs likely to be reverted',
                )
                if environment.getattr((undefined(name='e') if l_1_e is missing else l_1_e), 'max'):
                    pass
                    if (t_2(environment.getattr(environment.getattr((undefined(name='e') if l_1_e is missing else l_1_e), 'max'), 'numbers')) > 1):
                        pass
                        t_6.extend((
                            ', ',
                            str(t_2(environment.getattr(environment.getattr((undefined(name='e') if l_1_e is missing else l_1_e), 'max'), 'numbers'))),
                            ' PRs tied highest at ',
                            str(environment.getattr(environment.getattr((undefined(name='e') if l_1_e is missing else l_1_e), 'max'), 'p')),
                            ' (',
                            str(t_5(environment.getattr(environment.getattr((undefined(name='e') if l_1_e is missing else l_1_e), 'max'), 'numbers'))),
                            ')',
                        ))
                    else:
                        pass
                        t_6.extend((
                            ', highest #',
                            str(environment.getattr(environment.getattr((undefined(name='e') if l_1_e is missing else l_1_e), 'max'), 'number')),
                            ' (',
                            str(environment.getattr(environment.getattr((undefined(name='e') if l_1_e is missing else l_1_e), 'max'), 'p')),
                            ')',
                        ))
                t_6.append(
                    '.\n',
                )
            yield t_3(concat(t_6))
            l_2_bug_window_days = missing
            yield '\n'
        l_1_loop = l_1_r = l_1_e = missing
        if (undefined(name='hardware_note') if l_0_hardware_note is missing else l_0_hardware_note):
            pass
            yield '- **Optimisations checked on one hardware only** ('
            yield str(t_4(environment.getattr((undefined(name='hardware_note') if l_0_hardware_note is missing else l_0_hardware_note), 'count'), 'PR'))
            yield '): '
            l_1_loop = missing
            for l_1_p, l_1_loop in LoopContext(environment.getattr((undefined(name='hardware_note') if l_0_hardware_note is missing else l_0_hardware_note), 'prs'), undefined):
                _loop_vars = {}
                pass
                yield '#'
                yield str(environment.getattr(l_1_p, 'number'))
                yield ' names only '
                yield str(environment.getattr(l_1_p, 'hardware'))
                if (not environment.getattr(l_1_loop, 'last')):
                    pass
                    yield ', '
            l_1_loop = l_1_p = missing
            yield '; the effect elsewhere is unknown.\n'
    else:
        pass
        yield 'No PR carries a risk tag this week.\n'

blocks = {}
debug_info = '3=44&4=47&5=51&7=58&8=100&9=130&10=159&11=207&12=243&13=273&14=327&6=357&19=361&20=364'