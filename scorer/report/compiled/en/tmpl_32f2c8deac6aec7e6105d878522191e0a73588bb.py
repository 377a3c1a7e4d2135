from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = 'recommendations.md.j2'

def root(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    l_0_recommendations = resolve('recommendations')
    try:
        t_1 = environment.filters['join']
    except KeyError:
        @internalcode
        def t_1(*unused):
            raise TemplateRuntimeError("No filter named 'join' found.")
    try:
        t_2 = environment.filters['plural']
    except KeyError:
        @internalcode
        def t_2(*unused):
            raise TemplateRuntimeError("No filter named 'plural' found.")
    try:
        t_3 = environment.filters['prlist']
    except KeyError:
        @internalcode
        def t_3(*unused):
            raise TemplateRuntimeError("No filter named 'prlist' found.")
    pass
    yield '## Recommendations\n\n'
    if (undefined(name='recommendations') if l_0_recommendations is missing else l_0_recommendations):
        pass
        l_1_loop = missing
        for l_1_r, l_1_loop in LoopContext((undefined(name='recommendations') if l_0_recommendations is missing else l_0_recommendations), undefined):
            _loop_vars = {}
            pass
            if (environment.getattr(l_1_r, 'rule') == 'tests'):
                pass
                yield str(environment.getattr(l_1_loop, 'index'))
                yield '. '
                yield str(t_2(environment.getattr(l_1_r, 'count'), 'highlighted PR'))
                yield ' changed source code without tests ('
                yield str(t_3(environment.getattr(l_1_r, 'prs')))
                yield '), mostly in '
                yield str(t_1(context.eval_ctx, environment.getattr(l_1_r, 'modules'), ' and '))
                yield '; add unit or end-to-end tests for them.\n'
            elif (environment.getattr(l_1_r, 'rule') == 'core'):
                pass
                yield str(environment.getattr(l_1_loop, 'index'))
                yield '. '
                yield str(t_2(environment.getattr(l_1_r, 'count'), 'PR'))
                yield ' changed core paths, mostly in '
                yield str(t_1(context.eval_ctx, environment.getattr(l_1_r, 'modules'), ' and '))
                yield ' ('
                yield str(t_3(environment.getattr(l_1_r, 'prs')))
                yield '); schedule regression tests for these modules.\n'
            elif (environment.getattr(l_1_r, 'rule') == 'dependency'):
                pass
                yield str(environment.getattr(l_1_loop, 'index'))
                yield '. '
                yield str(t_2(environment.getattr(l_1_r, 'count'), 'PR'))
                yield ' changed dependency or build files ('
                yield str(t_3(environment.getattr(l_1_r, 'prs')))
                yield ')'
                if environment.getattr(l_1_r, 'deps'):
                    pass
                    yield ', among them'
                    l_2_loop = missing
                    for l_2_d, l_2_loop in LoopContext(environment.getattr(l_1_r, 'deps'), undefined):
                        _loop_vars = {}
                        pass
                        yield ' '
                        yield str(environment.getattr(l_2_d, 'name'))
                        yield ' '
                        yield str(environment.getattr(l_2_d, 'version'))
                        if (not environment.getattr(l_2_loop, 'last')):
                            pass
                            yield ','
                    l_2_loop = l_2_d = missing
                yield '; check the version pins and note them in the release notes.\n'
            elif (environment.getattr(l_1_r, 'rule') == 'bug'):
                pass
                yield str(environment.getattr(l_1_loop, 'index'))
                yield '. '
                yield str(t_2(environment.getattr(l_1_r, 'count'), 'PR'))
                yield ' '
                if environment.getattr(l_1_r, 'decided'):
                    pass
                    yield str(('reaches' if (environment.getattr(l_1_r, 'count') == 1) else 'reach'))
                    yield " the model's bug-inducing threshold of "
                    yield str(environment.getattr(l_1_r, 'min_p'))
                else:
                    pass
                    yield str(('carries' if (environment.getattr(l_1_r, 'count') == 1) else 'carry'))
                    yield ' a bug-inducing probability of '
                    yield str(environment.getattr(l_1_r, 'min_p'))
                    yield ' or more'
                yield ' (highest '
                yield str(environment.getattr(l_1_r, 'p'))
                yield '; '
                yield str(t_3(environment.getattr(l_1_r, 'prs')))
                yield '), mostly in '
                yield str(t_1(context.eval_ctx, environment.getattr(l_1_r, 'modules'), ' and '))
                yield '; review them first and watch for follow-up reports.\n'
            elif (environment.getattr(l_1_r, 'rule') == 'platform'):
                pass
                yield str(environment.getattr(l_1_loop, 'index'))
                yield '. '
                yield str(t_2(environment.getattr(l_1_r, 'count'), 'PR'))
                yield ' '
                yield str(('touches' if (environment.getattr(l_1_r, 'count') == 1) else 'touch'))
                yield ' platform-specific code ('
                yield str(t_3(environment.getattr(l_1_r, 'prs')))
                yield ')'
                if environment.getattr(l_1_r, 'platforms'):
                    pass
                    yield ', mostly '
                    yield str(t_1(context.eval_ctx, environment.getattr(l_1_r, 'platforms'), ', '))
                yield '; run CI on the affected hardware.\n'
            elif (environment.getattr(l_1_r, 'rule') == 'fix_wave'):
                pass
                yield str(environment.getattr(l_1_loop, 'index'))
                yield '. '
                yield str(environment.getattr(l_1_r, 'theme'))
                yield ' took '
                yield str(t_2(environment.getattr(l_1_r, 'count'), 'fix', 'fixes'))
                yield ' this week ('
                yield str(t_3(environment.getattr(l_1_r, 'prs')))
                yield '); the new code is not settled yet, so add end-to-end tests there before widening its use.\n'
            elif (environment.getattr(l_1_r, 'rule') == 'story'):
                pass
                yield str(environment.getattr(l_1_loop, 'index'))
                yield '. '
                yield str(environment.getattr(l_1_r, 'theme'))
                yield ' drew '
                yield str(t_2(environment.getattr(l_1_r, 'count'), 'PR'))
                yield ' this week ('
                yield str(t_3(environment.getattr(l_1_r, 'prs')))
                yield '); collect them into one release-note entry and check the docs keep up.\n'
            elif (environment.getattr(l_1_r, 'rule') == 'hardware'):
                pass
                yield str(environment.getattr(l_1_loop, 'index'))
                yield '. '
                yield str(t_2(environment.getattr(l_1_r, 'count'), 'optimisation'))
                yield ' name only '
                yield str(t_1(context.eval_ctx, environment.getattr(l_1_r, 'hardware'), ', '))
                yield ' ('
                yield str(t_3(environment.getattr(l_1_r, 'prs')))
                yield '); re-measure the gain and check correctness on other hardware.\n'
        l_1_loop = l_1_r = missing
    else:
        pass
        yield 'No recommendation rule fired this week.\n'

blocks = {}
debug_info = '3=31&4=34&5=37&6=39&7=47&8=49&9=57&10=59&11=81&12=83&13=105&14=107&15=120&16=122&17=130&18=132&19=140&20=142'