package org.meterspec.gen.c;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import org.stringtemplate.v4.Interpreter;
import org.stringtemplate.v4.ST;
import org.stringtemplate.v4.misc.ObjectModelAdaptor;
import org.stringtemplate.v4.misc.STNoSuchPropertyException;

/** Lets templates read records: {@code $r.name$} calls the record's {@code name()}. */
public final class RecordAdaptor extends ObjectModelAdaptor<Record> {
    @Override
    public synchronized Object getProperty(Interpreter interp, ST self, Record model, Object property, String propertyName)
            throws STNoSuchPropertyException {
        try {
            Method m = model.getClass().getMethod(propertyName);
            m.setAccessible(true);
            return m.invoke(model);
        } catch (NoSuchMethodException | IllegalAccessException e) {
            throw new STNoSuchPropertyException(e, model, propertyName);
        } catch (InvocationTargetException e) {
            throw new IllegalStateException("template property " + propertyName + " of " + model.getClass().getSimpleName()
                    + " failed", e.getCause());
        }
    }
}
