from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = 'summary.md.j2'

def root(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    try:
        t_1 = environment.filters['gain']
    except KeyError:
        @internalcode
        def t_1(*unused):
            raise TemplateRuntimeError("No filter named 'gain' found.")
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
    try:
        t_6 = environment.tests['none']
    except KeyError:
        @internalcode
        def t_6(*unused):
            raise TemplateRuntimeError("No test named 'none' found.")
    pass
    yield '## Executive summary\n\n'
    l_1_summary = resolve('summary')
    t_7 = []
    pass
    t_7.extend((
        str(t_4(environment.getattr((undefined(name='summary') if l_1_summary is missing else l_1_summary), 'n_prs'), 'PR')),
        ' ',
        str(('was' if (environment.getattr((undefined(name='summary') if l_1_summary is missing else l_1_summary), 'n_prs') == 1) else 'were')),
        ' merged this week',
    ))
    if (not t_6(environment.getattr((undefined(name='summary') if l_1_summary is missing else l_1_summary), 'delta_prs'))):
        pass
        t_7.append(
            ', ',
        )
        if (environment.getattr((undefined(name='summary') if l_1_summary is missing else l_1_summary), 'delta_prs') > 0):
            pass
            t_7.extend((
                str(environment.getattr((undefined(name='summary') if l_1_summary is missing else l_1_summary), 'delta_prs')),
                ' more than',
            ))
        elif (environment.getattr((undefined(name='summary') if l_1_summary is missing else l_1_summary), 'delta_prs') < 0):
            pass
            t_7.extend((
                str((-environment.getattr((undefined(name='summary') if l_1_summary is missing else l_1_summary), 'delta_prs'))),
                ' fewer than',
            ))
        else:
            pass
            t_7.append(
                'the same as',
            )
        t_7.extend((
            ' the week before (',
            str(environment.getattr((undefined(name='summary') if l_1_summary is missing else l_1_summary), 'prev_n_prs')),
            ')',
        ))
    t_7.extend((
        '; ',
        str(environment.getattr((undefined(name='summary') if l_1_summary is missing else l_1_summary), 'n_highlight')),
        ' of them ',
        str(('is' if (environment.getattr((undefined(name='summary') if l_1_summary is missing else l_1_summary), 'n_highlight') == 1) else 'are')),
        ' highlighted, and the average importance is ',
        str(environment.getattr((undefined(name='summary') if l_1_summary is missing else l_1_summary), 'avg_importance')),
        '.\n',
    ))
    if environment.getattr((undefined(name='summary') if l_1_summary is missing else l_1_summary), 'lead'):
        pass
        if (environment.getattr(environment.getattr((undefined(name='summary') if l_1_summary is missing else l_1_summary), 'lead'), 'situation') == 'first'):
            pass
            t_7.extend((
                'The new thread of the week is ',
                str(environment.getattr(environment.getattr((undefined(name='summary') if l_1_summary is missing else l_1_summary), 'lead'), 'name')),
                ', with ',
                str(t_4(environment.getattr(environment.getattr((undefined(name='summary') if l_1_summary is missing else l_1_summary), 'lead'), 'count'), 'PR')),
                ' in seven days',
            ))
        elif (environment.getattr(environment.getattr((undefined(name='summary') if l_1_summary is missing else l_1_summary), 'lead'), 'situation') == 'fix_wave'):
            pass
            t_7.extend((
                str(environment.getattr(environment.getattr((undefined(name='summary') if l_1_summary is missing else l_1_summary), 'lead'), 'name')),
                ' is still the focus (',
                str(t_4(environment.getattr(environment.getattr((undefined(name='summary') if l_1_summary is missing else l_1_summary), 'lead'), 'count'), 'PR')),
                ') but has moved to fixes',
            ))
        else:
            pass
            t_7.extend((
                'The largest story is ',
                str(environment.getattr(environment.getattr((undefined(name='summary') if l_1_summary is missing else l_1_summary), 'lead'), 'name')),
                ' (',
                str(t_4(environment.getattr(environment.getattr((undefined(name='summary') if l_1_summary is missing else l_1_summary), 'lead'), 'count'), 'PR')),
                ')',
            ))
        if (t_2(environment.getattr((undefined(name='summary') if l_1_summary is missing else l_1_summary), 'themes')) > 1):
            pass
            t_7.append(
                ', followed by ',
            )
            l_2_loop = missing
            for l_2_t, l_2_loop in LoopContext(environment.getattr((undefined(name='summary') if l_1_summary is missing else l_1_summary), 'themes')[1:], undefined):
                _loop_vars = {}
                pass
                t_7.append(
                    str(l_2_t),
                )
                if (not environment.getattr(l_2_loop, 'last')):
                    pass
                    t_7.append(
                        ' and ',
                    )
            l_2_loop = l_2_t = missing
        t_7.append(
            '. ',
        )
    if environment.getattr((undefined(name='summary') if l_1_summary is missing else l_1_summary), 'new_models'):
        pass
        t_7.extend((
            str(t_4(t_2(environment.getattr((undefined(name='summary') if l_1_summary is missing else l_1_summary), 'new_models')), 'new model')),
            ' (',
            str(t_5(environment.getattr((undefined(name='summary') if l_1_summary is missing else l_1_summary), 'new_models'))),
            '). ',
        ))
    if environment.getattr((undefined(name='summary') if l_1_summary is missing else l_1_summary), 'gains'):
        pass
        t_7.append(
            'End-to-end gains the PRs measure:',
        )
        l_2_loop = missing
        for l_2_g, l_2_loop in LoopContext(environment.getattr((undefined(name='summary') if l_1_summary is missing else l_1_summary), 'gains'), undefined):
            _loop_vars = {}
            pass
            t_7.extend((
                ' #',
                str(environment.getattr(l_2_g, 'number')),
                ' ',
                str(t_1(l_2_g)),
            ))
            if (not environment.getattr(l_2_loop, 'last')):
                pass
                t_7.append(
                    ',',
                )
        l_2_loop = l_2_g = missing
        t_7.append(
            '. ',
        )
    if environment.getattr((undefined(name='summary') if l_1_summary is missing else l_1_summary), 'kinds'):
        pass
        t_7.append(
            'Most changes are ',
        )
        l_2_loop = missing
        for l_2_k, l_2_loop in LoopContext(environment.getattr((undefined(name='summary') if l_1_summary is missing else l_1_summary), 'kinds'), undefined):
            _loop_vars = {}
            pass
            t_7.extend((
                str(environment.getattr(l_2_k, 'name')),
                ' (',
                str(environment.getattr(l_2_k, 'count')),
                ')',
            ))
            if (not environment.getattr(l_2_loop, 'last')):
                pass
                t_7.append(
                    ', ',
                )
        l_2_loop = l_2_k = missing
        t_7.append(
            '. ',
        )
    if environment.getattr((undefined(name='summary') if l_1_summary is missing else l_1_summary), 'hot_files'):
        pass
        t_7.append(
            'The hottest files are',
        )
        l_2_loop = missing
        for l_2_f, l_2_loop in LoopContext(environment.getattr((undefined(name='summary') if l_1_summary is missing else l_1_summary), 'hot_files'), undefined):
            _loop_vars = {}
            pass
            t_7.extend((
                ' `',
                str(environment.getattr(l_2_f, 'file')),
                '` (',
                str(t_4(environment.getattr(l_2_f, 'prs'), 'PR')),
                ')',
            ))
            if (not environment.getattr(l_2_loop, 'last')):
                pass
                t_7.append(
                    ',',
                )
        l_2_loop = l_2_f = missing
        t_7.append(
            '. ',
        )
    if environment.getattr((undefined(name='summary') if l_1_summary is missing else l_1_summary), 'top_risk'):
        pass
        t_7.extend((
            'The most frequent risk tag is "',
            str(environment.getattr(environment.getattr((undefined(name='summary') if l_1_summary is missing else l_1_summary), 'top_risk'), 'name')),
            '", on ',
            str(t_4(environment.getattr(environment.getattr((undefined(name='summary') if l_1_summary is missing else l_1_summary), 'top_risk'), 'count'), 'PR')),
        ))
        if (t_2(environment.getattr((undefined(name='summary') if l_1_summary is missing else l_1_summary), 'tags')) > 1):
            pass
            t_7.append(
                ', then ',
            )
            l_2_loop = missing
            for l_2_t, l_2_loop in LoopContext(environment.getattr((undefined(name='summary') if l_1_summary is missing else l_1_summary), 'tags')[1:], undefined):
                _loop_vars = {}
                pass
                t_7.extend((
                    '"',
                    str(environment.getattr(l_2_t, 'name')),
                    '" (',
                    str(environment.getattr(l_2_t, 'count')),
                    ')',
                ))
                if (not environment.getattr(l_2_loop, 'last')):
                    pass
                    t_7.append(
                        ', ',
                    )
            l_2_loop = l_2_t = missing
        t_7.append(
            '. ',
        )
    if environment.getattr((undefined(name='summary') if l_1_summary is missing else l_1_summary), 'rising'):
        pass
        t_7.append(
            'Compared with the previous weeks, activity rose in ',
        )
        l_2_loop = missing
        for l_2_t, l_2_loop in LoopContext(environment.getattr((undefined(name='summary') if l_1_summary is missing else l_1_summary), 'rising'), undefined):
            _loop_vars = {}
            pass
            t_7.append(
                str(l_2_t),
            )
            if (not environment.getattr(l_2_loop, 'last')):
                pass
                t_7.append(
                    ', ',
                )
        l_2_loop = l_2_t = missing
        t_7.append(
            '. ',
        )
    yield t_3(concat(t_7))
    l_1_summary = missing

blocks = {}
debug_info = '4=52&5=93&6=142&7=150&8=174&9=198&10=223&11=256&3=277'